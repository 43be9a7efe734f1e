use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(strategy = reconnect, after_async = handshake)]
struct Handle;

// An `after_async` hook is an `async fn`.
fn handshake<C>(_: &mut C, _: &mut Handle) -> std::io::Result<()> {
    Ok(())
}

fn main() {}
