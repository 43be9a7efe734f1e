//! expect: one error at `Vec<u8>`: not a Connection
use ha_cover::ha_connection;

#[ha_connection(file = Vec<u8>, mode = read_only)]
struct Mem;

fn main() {}
