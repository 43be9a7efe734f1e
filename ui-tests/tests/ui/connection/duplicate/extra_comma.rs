//! A doubled or leading comma is one error at it, and the keys after it are
//! still read (here, correctly: no other error).

use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only,, attempts = 3)]
struct Doubled;

#[ha_connection(, unix, mode = read_only)]
struct Leading;

fn main() {}
