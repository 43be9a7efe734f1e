//! Shorthands of open(2) and fopen(3) flags, too far from the modes for a typo.

use ha_cover::ha_connection;

#[ha_connection(file, mode = read)]
struct Reader;

#[ha_connection(file, mode = rw)]
struct Both;

fn main() {}
