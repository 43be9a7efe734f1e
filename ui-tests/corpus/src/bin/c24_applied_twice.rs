//! expect: one error at the second attribute
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only)]
#[ha_connection(file, mode = read_only)]
struct TestFile;

fn main() {}
