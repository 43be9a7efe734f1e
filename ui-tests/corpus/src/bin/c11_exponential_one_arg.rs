//! expect: error at `exponential(10ms)`: exponential(initial, cap)
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, backoff = exponential(10ms))]
struct TestFile;

fn main() {}
