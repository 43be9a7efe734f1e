//! expect: either (the runtime's reopen function named as a recovery)
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, recovery = ha_cover::reopen)]
struct Data;

fn main() {}
