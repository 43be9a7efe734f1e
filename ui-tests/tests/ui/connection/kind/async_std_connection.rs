use ha_cover::ha_connection;

// A std connection is not an async one: the async form covers tokio's.
#[ha_connection(socket = std::os::unix::net::UnixStream, asynchronous, mode = read_only)]
struct Blocking;

fn main() {}
