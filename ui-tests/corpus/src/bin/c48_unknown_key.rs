//! expect: error at `retries`: did you mean attempts
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, retries = 5)]
struct TestFile;

fn main() {}
