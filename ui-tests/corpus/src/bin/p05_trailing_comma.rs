//! expect: pass (a trailing comma)
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only,)]
struct TestFile;

fn main() {}
