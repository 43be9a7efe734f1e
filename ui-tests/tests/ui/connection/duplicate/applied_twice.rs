//! `#[ha_connection]` given twice on one struct is one error, at the second.

use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only)]
#[ha_connection(file, mode = read_write)]
struct TestFile;

fn main() {}
