//! expect: one error at `File`: File is a file connection, not a socket
use ha_cover::ha_connection;

#[ha_connection(socket = std::fs::File, mode = read_only)]
struct Weird;

fn main() {}
