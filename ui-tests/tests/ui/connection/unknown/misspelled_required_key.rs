use ha_cover::ha_connection;

// A misspelling of the key that is missing: one error, at the misspelling, not
// also "say what recovery sends again with `write_policy = ...`".
#[ha_connection(unix, mode = read_write, write_polcy = never)]
struct Echo;

fn main() {}
