//! expect: error at the second `strategy`
use ha_cover::Recoverable;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen, strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    offset: u64,
}

fn main() {}
