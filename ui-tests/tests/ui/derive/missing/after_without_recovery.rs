use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(after = handshake)]
struct Handle;

fn handshake<C>(_: &mut C, _: &mut Handle) -> std::io::Result<()> {
    Ok(())
}

fn main() {}
