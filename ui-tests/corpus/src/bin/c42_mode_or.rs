//! expect: error at `|`: one mode; read_write for both
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only | write_only)]
struct TestFile;

fn main() {}
