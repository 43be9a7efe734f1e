//! expect: error at `recoveries`: one role per field
use ha_cover::Recoverable;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(offset, recoveries)]
    n: u64,
}

fn main() {}
