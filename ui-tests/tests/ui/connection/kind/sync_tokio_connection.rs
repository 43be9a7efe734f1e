use ha_cover::ha_connection;

// tokio's socket is not a blocking one: the sync form covers std's.
#[ha_connection(socket = tokio::net::UnixStream, mode = read_only)]
struct Nonblocking;

fn main() {}
