use ha_cover::{Cover, Recoverable};
use std::rc::Rc;

// One error, at the handle: not again at the derive's impls or at the use.
#[derive(Recoverable)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    offset: u64,
    cache: Rc<u8>,
}

fn main() {
    let _ = Cover::open("/tmp/x", ha_cover::by_handle, Handle { offset: 0, cache: Rc::new(1) });
}
