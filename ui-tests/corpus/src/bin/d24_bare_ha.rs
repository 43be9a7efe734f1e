//! expect: error at `ha`: name the role, #[ha(offset)]
use ha_cover::Recoverable;

#[derive(Recoverable, Default)]
struct Handle {
    #[ha]
    offset: u64,
}

fn main() {}
