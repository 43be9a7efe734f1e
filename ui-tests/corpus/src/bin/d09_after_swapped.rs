//! expect: error at `hello`: expected fn(&mut C, &mut Handle) -> Result<(), E>
use ha_cover::Recoverable;
use std::os::unix::net::UnixStream;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after = hello, connection = UnixStream)]
struct Handle;

fn hello(_: &mut Handle, _: &mut UnixStream) -> std::io::Result<()> {
    Ok(())
}

fn main() {}
