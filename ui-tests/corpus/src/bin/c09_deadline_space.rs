//! expect: error at `30 sec`: write `30s`
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, deadline = 30 sec)]
struct TestFile;

fn main() {}
