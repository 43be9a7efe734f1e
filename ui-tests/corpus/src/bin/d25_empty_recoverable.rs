//! expect: either — pass (no strategy: the derive only keeps the state), or one error at `recoverable`
use ha_cover::Recoverable;

#[derive(Recoverable, Default)]
#[recoverable()]
struct Handle {
    #[ha(offset)]
    offset: u64,
}

fn main() {}
