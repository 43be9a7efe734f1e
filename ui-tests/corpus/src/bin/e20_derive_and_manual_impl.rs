//! expect: one error: Recoverable is implemented twice
use ha_cover::Recoverable;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    offset: u64,
}

impl Recoverable for Handle {}

fn main() {}
