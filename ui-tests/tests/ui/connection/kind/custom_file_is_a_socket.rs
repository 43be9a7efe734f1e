use ha_cover::ha_connection;

#[ha_connection(file = std::net::TcpStream, mode = read_only)]
struct NotAFile;

fn main() {}
