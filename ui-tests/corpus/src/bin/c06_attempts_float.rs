//! expect: error at `5.0`: a whole number
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, attempts = 5.0)]
struct TestFile;

fn main() {}
