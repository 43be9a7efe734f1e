//! `async`, Rust's word, for the key `asynchronous`.

use ha_cover::ha_connection;

#[ha_connection(tcp, async, mode = read_write, write_policy = never)]
struct Db;

fn main() {}
