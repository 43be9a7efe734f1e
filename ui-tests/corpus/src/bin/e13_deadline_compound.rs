//! expect: one error at `1m30s`: one unit per duration
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, deadline = 1m30s)]
struct Data;

fn main() {}
