//! expect: one error at `Handle`: derive Recoverable
use ha_cover::ha_connection;

#[derive(Default)]
struct Handle {
    offset: u64,
}

#[ha_connection(file, mode = read_only, handle = Handle)]
struct TestFile;

fn main() {}
