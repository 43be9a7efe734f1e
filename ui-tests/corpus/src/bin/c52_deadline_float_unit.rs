//! expect: error at `1.5.2s`
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, deadline = 1.5.2s)]
struct TestFile;

fn main() {}
