//! expect: either — pass, or one error at the second attribute
use ha_cover::Recoverable;
use std::os::unix::net::UnixStream;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect)]
#[recoverable(after = hello, connection = UnixStream)]
struct Handle;

fn hello(_: &mut UnixStream, _: &mut Handle) -> std::io::Result<()> {
    Ok(())
}

fn main() {}
