//! expect: one error at the closure: name a function
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, recovery = |f, _h| f.reopen())]
struct TestFile;

fn main() {}
