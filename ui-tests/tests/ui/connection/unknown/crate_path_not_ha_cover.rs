//! A `crate = ...` path that resolves, but not to ha-cover, is one error at
//! the path, naming no generated item.

#[ha_cover::ha_connection(crate = std, file, mode = read_only)]
struct TestFile;

fn main() {}
