//! expect: one error at `Option<u64>`: the offset is an integer
use ha_cover::Recoverable;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Cursor {
    #[ha(offset)]
    pos: Option<u64>,
}

fn main() {}
