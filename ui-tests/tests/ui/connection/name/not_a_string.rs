//! A name is a string, as logs and metrics show it.

use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, name = orders)]
struct Orders;

fn main() {}
