use ha_cover::{Lookup, Recoverable};

#[derive(Recoverable)]
#[recoverable(strategy = reconnect, discover = primary)]
struct Handle;

// A discovery returns where to go, not a connection.
fn primary(_: &Lookup<'_>, _: &mut Handle) -> std::io::Result<std::net::TcpStream> {
    std::net::TcpStream::connect("127.0.0.1:6379")
}

fn main() {}
