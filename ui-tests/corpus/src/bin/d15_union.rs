//! expect: error at `union`: derive a struct
use ha_cover::Recoverable;

#[derive(Recoverable)]
union Handle {
    a: u64,
    b: u32,
}

fn main() {}
