//! expect: one error at `Handle`: a handle given to a declaration says how it recovers
use ha_cover::{Recoverable, ha_connection};

#[derive(Recoverable, Default)]
struct Handle {
    #[ha(recoveries)]
    recoveries: u32,
}

#[ha_connection(file, mode = read_only, handle = Handle)]
struct Data;

fn main() {}
