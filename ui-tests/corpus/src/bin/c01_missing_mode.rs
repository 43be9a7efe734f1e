//! expect: error at the attribute: mode is required, list modes
use ha_cover::ha_connection;

#[ha_connection(file)]
struct TestFile;

fn main() {}
