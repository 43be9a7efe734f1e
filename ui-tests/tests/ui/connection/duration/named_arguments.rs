//! Durations given by name are one error, saying they go by position.

use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, backoff = exponential(initial = 10ms, cap = 2s))]
struct TestFile;

fn main() {}
