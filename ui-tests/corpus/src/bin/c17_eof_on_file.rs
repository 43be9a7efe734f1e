//! expect: error at `eof_is_failure`: sockets only
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, eof_is_failure = true)]
struct TestFile;

fn main() {}
