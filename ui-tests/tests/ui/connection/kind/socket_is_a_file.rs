use ha_cover::ha_connection;

// One error: the kind, not besides that a file cannot be reconnected.
#[ha_connection(socket = std::fs::File, mode = read_only)]
struct Weird;

fn main() {}
