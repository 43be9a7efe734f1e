use ha_cover::Recoverable;
use std::rc::Rc;

#[derive(Recoverable)]
#[recoverable(strategy = reconnect, after_async = handshake)]
struct Handle;

// The recovery runs as a task of its own: its future must be `Send`.
async fn handshake<C>(_: &mut C, _: &mut Handle) -> std::io::Result<()> {
    let shared = Rc::new(());
    tokio::task::yield_now().await;
    drop(shared);
    Ok(())
}

fn main() {}
