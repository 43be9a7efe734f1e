//! expect: error at `after`: an after hook needs a strategy (or with)
use ha_cover::Recoverable;
use std::os::unix::net::UnixStream;

#[derive(Recoverable, Default)]
#[recoverable(after = hello)]
struct Handle;

fn hello(_: &mut UnixStream, _: &mut Handle) -> std::io::Result<()> {
    Ok(())
}

fn main() {}
