use ha_cover::Recoverable;
use std::net::TcpStream;

#[derive(Recoverable)]
#[recoverable(strategy = reopen, connection = TcpStream)]
struct Handle;

fn main() {}
