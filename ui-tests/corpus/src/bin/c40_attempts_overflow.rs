//! expect: error at the number: too large
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, attempts = 99999999999999999999)]
struct TestFile;

fn main() {}
