//! expect: error at `-1`: leave it out for no limit
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, attempts = -1)]
struct TestFile;

fn main() {}
