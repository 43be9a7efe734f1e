use ha_cover::ha_connection;

#[ha_connection(file = tokio::net::TcpStream, asynchronous, mode = read_only)]
struct NotAFile;

fn main() {}
