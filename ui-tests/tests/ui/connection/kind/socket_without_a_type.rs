use ha_cover::ha_connection;

#[ha_connection(socket, mode = read_only)]
struct Feed;

fn main() {}
