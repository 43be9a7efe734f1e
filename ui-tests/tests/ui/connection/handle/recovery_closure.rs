//! A closure where the recovery function's path goes is one error, spanning
//! the closure (its parameters' comma does not start another key).

use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, recovery = |failure, _handle| failure.reopen())]
struct TestFile;

fn main() {}
