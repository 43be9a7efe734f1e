use ha_cover::Recoverable;
use tokio::net::UnixStream;

// An `async fn` and tokio's stream belong to an async cover: `after_async`.
// Two errors: the sync recovery `after` asks for cannot reconnect tokio's
// stream, and its hook cannot be an `async fn`.
#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after = hello, connection = UnixStream)]
struct Handle;

async fn hello(_: &mut UnixStream, _: &mut Handle) -> std::io::Result<()> {
    Ok(())
}

fn main() {}
