//! expect: error at the fields: a unit struct
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only)]
struct TestFile {
    name: String,
}

fn main() {}
