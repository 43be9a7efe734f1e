use ha_cover::asynchronous::{AsyncReconnectTarget, Uncovered};
use ha_cover::{Cover, Recoverable};
use tokio::io::AsyncWriteExt;

// An async hook cannot run inside a sync recovery: the handle recovers async
// covers only, until it has an `after` hook too.
#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after_async = hello)]
struct Handle;

async fn hello<C: AsyncReconnectTarget>(conn: &mut C, _: &mut Handle) -> std::io::Result<()> {
    Uncovered::new(conn).write_all(b"HELLO\n").await
}

fn main() {
    let _ = Cover::connect_unix("/run/echo.sock", ha_cover::by_handle, Handle);
}
