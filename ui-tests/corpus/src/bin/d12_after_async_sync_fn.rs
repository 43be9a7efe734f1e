//! expect: error at `hello`: after_async wants an async fn
use ha_cover::Recoverable;
use tokio::net::UnixStream;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after_async = hello, connection = UnixStream)]
struct Handle;

fn hello(_: &mut UnixStream, _: &mut Handle) -> std::io::Result<()> {
    Ok(())
}

fn main() {}
