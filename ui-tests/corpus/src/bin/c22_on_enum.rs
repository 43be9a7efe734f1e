//! expect: error at `enum`: a unit struct
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only)]
enum TestFile {
    A,
}

fn main() {}
