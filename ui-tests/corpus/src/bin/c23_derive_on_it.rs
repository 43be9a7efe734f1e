//! expect: error at `Debug`: the struct gets Debug already
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only)]
#[derive(Debug, Clone)]
struct TestFile;

fn main() {}
