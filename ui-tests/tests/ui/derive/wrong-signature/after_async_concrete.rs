use ha_cover::Recoverable;
use tokio::net::UnixStream;

// The hook takes a `UnixStream`, but the handle recovers any async socket:
// name the connection with `connection = UnixStream`, or make the hook generic.
#[derive(Recoverable)]
#[recoverable(strategy = reconnect, after_async = handshake)]
struct Handle;

async fn handshake(_: &mut UnixStream, _: &mut Handle) -> std::io::Result<()> {
    Ok(())
}

fn main() {}
