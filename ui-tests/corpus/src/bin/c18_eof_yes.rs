//! expect: error at `yes`: true or false
use ha_cover::ha_connection;

#[ha_connection(unix, mode = read_only, eof_is_failure = yes)]
struct Feed;

fn main() {}
