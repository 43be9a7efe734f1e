//! expect: error at the second `attempts`
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, attempts = 5, attempts = 6)]
struct TestFile;

fn main() {}
