use ha_cover::ha_connection;

#[ha_connection(unix = std::os::unix::net::UnixStream, mode = read_only)]
struct Feed;

fn main() {}
