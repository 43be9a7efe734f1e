//! expect: error at `reopen`: a read_write file without a seek back overwrites its start
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_write, recovery = reopen)]
struct Db;

fn main() {}
