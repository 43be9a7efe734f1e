//! A count written as a float is an error at the value, with the whole number
//! to write.

use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, attempts = 5.0)]
struct TestFile;

fn main() {}
