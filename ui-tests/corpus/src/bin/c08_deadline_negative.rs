//! expect: error at `-5s`: a duration is not negative
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, deadline = -5s)]
struct TestFile;

fn main() {}
