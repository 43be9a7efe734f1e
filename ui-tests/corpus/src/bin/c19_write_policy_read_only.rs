//! expect: error at `write_policy`: a read-only socket never writes
use ha_cover::ha_connection;

#[ha_connection(tcp, mode = read_only, write_policy = replay)]
struct Ticker;

fn main() {}
