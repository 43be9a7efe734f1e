//! expect: error at `bool`: a count is an integer
use ha_cover::Recoverable;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen)]
struct Handle {
    #[ha(recoveries)]
    recovered: bool,
}

fn main() {}
