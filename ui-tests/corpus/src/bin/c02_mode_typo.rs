//! expect: error at `readonly`: did you mean read_only
use ha_cover::ha_connection;

#[ha_connection(file, mode = readonly)]
struct TestFile;

fn main() {}
