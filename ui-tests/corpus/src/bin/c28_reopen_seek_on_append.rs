//! expect: error at `reopen_seek`: append recovers with reopen
use ha_cover::ha_connection;

#[ha_connection(file, mode = append, recovery = reopen_seek)]
struct Journal;

fn main() {}
