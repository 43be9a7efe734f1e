//! expect: error at `String`: an offset is an integer
use ha_cover::Recoverable;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    offset: String,
}

fn main() {}
