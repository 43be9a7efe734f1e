//! expect: pass (hygiene: a role field of the user's type C)
use ha_cover::{Cover, Recoverable};

type C = u64;
type H = u32;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    offset: C,
    #[ha(recoveries)]
    n: H,
}

fn main() {
    let _ = Cover::open("/tmp/x", ha_cover::by_handle, Handle::default());
}
