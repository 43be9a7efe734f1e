//! expect: one error at `Rc<u8>` (or the struct): a handle must be Send
use ha_cover::{Cover, Recoverable};
use std::rc::Rc;

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
