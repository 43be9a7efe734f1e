//! expect: error at `hello`: an async fn goes in after_async
use ha_cover::Recoverable;
use tokio::net::UnixStream;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after = hello, connection = UnixStream)]
struct Handle;

async fn hello(_: &mut UnixStream, _: &mut Handle) -> std::io::Result<()> {
    Ok(())
}

fn main() {}
