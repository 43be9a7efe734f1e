//! expect: error at `0`: at least 1
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, attempts = 0)]
struct TestFile;

fn main() {}
