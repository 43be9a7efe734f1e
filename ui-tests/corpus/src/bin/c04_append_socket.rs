//! expect: error at `append`: files only
use ha_cover::ha_connection;

#[ha_connection(unix, mode = append, write_policy = never)]
struct Log;

fn main() {}
