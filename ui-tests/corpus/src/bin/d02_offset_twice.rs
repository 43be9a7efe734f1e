//! expect: error at the second `offset`: one field per role
use ha_cover::Recoverable;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    start: u64,
    #[ha(offset)]
    end: u64,
}

fn main() {}
