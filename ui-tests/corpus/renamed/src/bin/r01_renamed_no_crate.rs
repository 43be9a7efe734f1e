//! expect: either — pass (detected), or one error saying `crate = hac`
use hac::ha_connection;

#[ha_connection(file, mode = read_only)]
struct TestFile;

fn main() {}
