//! expect: one error at `"5"`: write attempts = 5
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, attempts = "5")]
struct Data;

fn main() {}
