//! expect: one error: #[recoverable(...)] goes on the struct, not on a field
use ha_cover::Recoverable;

#[derive(Recoverable, Default)]
struct Handle {
    #[recoverable(strategy = reopen_seek)]
    #[ha(offset)]
    offset: u64,
}

fn main() {}
