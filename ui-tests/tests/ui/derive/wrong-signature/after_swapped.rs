use ha_cover::Recoverable;
use std::os::unix::net::UnixStream;

// The handle first, the connection second: the other way round.
#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after = hello, connection = UnixStream)]
struct Handle;

fn hello(_: &mut Handle, _: &mut UnixStream) -> std::io::Result<()> {
    Ok(())
}

fn main() {}
