//! expect: error at `2s`: a comma between initial and cap
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, backoff = exponential(10ms 2s))]
struct TestFile;

fn main() {}
