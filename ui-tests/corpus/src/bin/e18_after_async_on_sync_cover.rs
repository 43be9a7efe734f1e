//! expect: one error at `Handle`: an after_async hook recovers async covers only
use ha_cover::{Recoverable, ha_connection};
use std::os::unix::net::UnixStream;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after_async = hello)]
struct Handle;

async fn hello(_: &mut tokio::net::UnixStream, _: &mut Handle) -> std::io::Result<()> {
    Ok(())
}

#[ha_connection(unix, mode = read_only, handle = Handle)]
struct Feed;

fn main() {
    let _: Option<UnixStream> = None;
}
