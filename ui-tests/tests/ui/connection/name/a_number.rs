//! A literal of another type is consumed before the string parse fails; the
//! error is at it, not at the attribute.
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, name = 3)]
struct Orders;

#[ha_connection(unix, mode = read_only, eof_is_failure = "true")]
struct Feed;

fn main() {}
