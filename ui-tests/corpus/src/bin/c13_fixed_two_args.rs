//! expect: error at `2s`: fixed takes one duration
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, backoff = fixed(1s, 2s))]
struct TestFile;

fn main() {}
