//! expect: error at `tcp`: one kind
use ha_cover::ha_connection;

#[ha_connection(file, tcp, mode = read_only)]
struct TestFile;

fn main() {}
