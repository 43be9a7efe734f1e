//! expect: error at `"never"`: without quotes
use ha_cover::ha_connection;

#[ha_connection(tcp, mode = read_write, write_policy = "never")]
struct Redis;

fn main() {}
