use ha_cover::Recoverable;
use std::os::unix::net::UnixStream;

// The hook takes a `UnixStream`, but the handle recovers any socket: name the
// connection with `connection = UnixStream`, or make the hook generic.
#[derive(Recoverable)]
#[recoverable(strategy = reconnect, after = handshake)]
struct Handle;

fn handshake(_: &mut UnixStream, _: &mut Handle) -> std::io::Result<()> {
    Ok(())
}

fn main() {}
