//! expect: error at `reopen_seek`: needs an #[ha(offset)] field
use ha_cover::Recoverable;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(recoveries)]
    count: u32,
}

fn main() {}
