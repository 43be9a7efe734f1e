//! expect: either — pass (detected), or one error saying `crate = hac`
use hac::Recoverable;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    offset: u64,
}

fn main() {
    let _ = hac::Cover::open("/tmp/x", hac::by_handle, Handle::default());
}
