//! expect: error at `reconnect`: files reopen
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, recovery = reconnect)]
struct TestFile;

fn main() {}
