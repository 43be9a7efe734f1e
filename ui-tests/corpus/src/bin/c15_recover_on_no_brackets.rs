//! expect: error at `EIO`: write a list, [EIO]
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, recover_on = EIO)]
struct TestFile;

fn main() {}
