//! A negative duration is an error at the whole value, saying so.

use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, deadline = -5s)]
struct TestFile;

fn main() {}
