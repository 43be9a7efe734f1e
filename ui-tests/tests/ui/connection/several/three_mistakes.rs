use ha_cover::ha_connection;

// Four mistakes (one a key left out), four errors in one build.
#[ha_connection(unix, mode = read_write, atempts = 5, backoff = fixed(10), recover_on = [ECONNRESTE])]
struct Echo;

fn main() {}
