//! expect: error at `EINTR`: never a dead server
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, recover_on = [EINTR])]
struct TestFile;

fn main() {}
