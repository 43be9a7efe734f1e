//! A third argument, the factor other backoff libraries take, is one error
//! about the arguments, not about the factor's missing unit.

use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, backoff = exponential(10ms, 2s, 2))]
struct TestFile;

#[ha_connection(file, mode = read_only, backoff = fixed(100ms, 3))]
struct Other;

fn main() {}
