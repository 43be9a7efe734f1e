//! An empty name names nothing.

use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, name = "")]
struct Orders;

fn main() {}
