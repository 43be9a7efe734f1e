//! expect: error at `30`: add a unit
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, deadline = 30)]
struct TestFile;

fn main() {}
