use ha_cover::asynchronous::AsyncCover;
use ha_cover::{ReconnectTarget, Recoverable, WriteConnection};

// A sync hook cannot write to a tokio socket: the handle recovers sync covers
// only, until it has an `after_async` hook too.
#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after = hello)]
struct Handle;

fn hello<C: ReconnectTarget>(conn: &mut C, _: &mut Handle) -> std::io::Result<()> {
    WriteConnection::write(conn, b"HELLO\n").map(drop)
}

async fn connect() {
    let _ = AsyncCover::connect_unix("/run/echo.sock", ha_cover::asynchronous::by_handle, Handle).await;
}

fn main() {
    drop(connect());
}
