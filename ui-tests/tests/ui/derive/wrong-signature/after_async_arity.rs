use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(strategy = reconnect, after_async = handshake)]
struct Handle;

// An `after_async` hook takes the new connection and the handle.
async fn handshake(_: &mut Handle) -> std::io::Result<()> {
    Ok(())
}

fn main() {}
