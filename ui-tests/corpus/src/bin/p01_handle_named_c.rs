//! expect: pass (hygiene: a handle named C)
use ha_cover::{Cover, Recoverable};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct C {
    #[ha(offset)]
    offset: u64,
}

fn main() {
    let _ = Cover::open("/tmp/x", ha_cover::by_handle, C::default());
}
