//! expect: error at `linear`: none, fixed or exponential
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, backoff = linear(1s))]
struct TestFile;

fn main() {}
