use ha_cover::Recoverable;
use std::os::unix::net::UnixStream;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after = hello, connection = UnixStream)]
struct Handle;

fn hello(_: &UnixStream, _: &mut Handle) -> std::io::Result<()> {
    Ok(())
}

fn main() {}
