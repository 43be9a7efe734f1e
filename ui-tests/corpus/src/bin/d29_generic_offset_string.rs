//! expect: one error at the use, saying the offset `String` is not an integer
use ha_cover::{Cover, Recoverable};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Handle<O> {
    #[ha(offset)]
    offset: O,
}

fn main() {
    let _ = Cover::open("/tmp/x", ha_cover::by_handle, Handle::<String>::default());
}
