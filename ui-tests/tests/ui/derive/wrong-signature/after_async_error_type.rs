use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(strategy = reconnect, after_async = handshake)]
struct Handle;

async fn handshake<C>(_: &mut C, _: &mut Handle) -> Result<(), String> {
    Err("refused".to_owned())
}

fn main() {}
