use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(strategy = reconnect, after = handshake)]
struct Handle;

// An `after` hook takes the new connection and the handle.
fn handshake(_: &mut Handle) -> std::io::Result<()> {
    Ok(())
}

fn main() {}
