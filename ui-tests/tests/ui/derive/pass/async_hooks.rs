//! `after_async` and `with_async`: async functions run by async recoveries,
//! generic or for one named connection, returning `std::io::Error` or
//! `AttemptError`; `after` and `after_async` together recover both kinds of
//! cover.

use ha_cover::asynchronous::{AsyncCover, AsyncFailure, AsyncReconnectTarget, BoxFuture, Uncovered};
use ha_cover::{AttemptError, Cover, ReconnectTarget, Recoverable, WriteConnection};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UnixStream};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after_async = resume)]
struct Resume {
    #[ha(offset)]
    received: u64,
}

// Replays the stream server's handshake from where the client was.
async fn resume<C: AsyncReconnectTarget>(conn: &mut C, handle: &mut Resume) -> std::io::Result<()> {
    let request = format!("FROM {}\n", handle.received);
    Uncovered::new(conn).write_all(request.as_bytes()).await
}

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after_async = hooks::hello, connection = UnixStream)]
struct Hello {
    tries: u32,
}

mod hooks {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    // A hook for one connection type uses its own I/O, and may give up.
    pub async fn hello(
        conn: &mut tokio::net::UnixStream,
        handle: &mut super::Hello,
    ) -> Result<(), super::AttemptError> {
        handle.tries += 1;
        conn.write_all(b"HELLO\n").await?;
        let mut ok = [0; 3];
        conn.read_exact(&mut ok).await?;
        if &ok != b"OK\n" {
            return Err(super::AttemptError::give_up(
                std::io::ErrorKind::ConnectionRefused,
            ));
        }
        Ok(())
    }
}

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after = sync_hello, after_async = async_hello)]
struct Both;

fn sync_hello<C: ReconnectTarget>(conn: &mut C, _: &mut Both) -> std::io::Result<()> {
    WriteConnection::write(conn, b"HELLO\n").map(drop)
}

async fn async_hello<C: AsyncReconnectTarget>(conn: &mut C, _: &mut Both) -> std::io::Result<()> {
    let mut io = Uncovered::new(conn);
    io.write_all(b"HELLO\n").await?;
    io.read_u8().await.map(drop)
}

#[derive(Recoverable, Default)]
#[recoverable(with_async = failover, connection = TcpStream, after_async = resume_any)]
struct Failover {
    #[ha(recoveries)]
    recoveries: u64,
}

async fn failover(
    failure: &AsyncFailure<'_, TcpStream>,
    _: &mut Failover,
) -> Result<TcpStream, AttemptError> {
    failure.reconnect().await
}

async fn resume_any<C>(_: &mut C, _: &mut Failover) -> Result<(), AttemptError> {
    Ok(())
}

// A function returning a boxed future (any `AsyncRecover` function) is one too.
#[derive(Recoverable)]
#[recoverable(with_async = boxed, connection = impl AsyncReconnectTarget)]
struct Boxed;

fn boxed<'a, C: AsyncReconnectTarget>(
    failure: &'a AsyncFailure<'a, C>,
    _: &'a mut Boxed,
) -> BoxFuture<'a, Result<C, AttemptError>> {
    Box::pin(failure.reconnect())
}

async fn covers() -> std::io::Result<()> {
    let _ =
        AsyncCover::connect_unix("/s.sock", ha_cover::asynchronous::by_handle, Resume::default()).await?;
    let _ = AsyncCover::connect_tcp("127.0.0.1:1", ha_cover::asynchronous::by_handle, Resume::default())
        .await?;
    let _ =
        AsyncCover::connect_unix("/s.sock", ha_cover::asynchronous::by_handle, Hello::default()).await?;
    let _ = AsyncCover::connect_unix("/s.sock", ha_cover::asynchronous::by_handle, Both).await?;
    let _ = Cover::connect_unix("/s.sock", ha_cover::by_handle, Both)?;
    let _ = AsyncCover::connect_tcp(
        "127.0.0.1:1",
        ha_cover::asynchronous::by_handle,
        Failover::default(),
    )
    .await?;
    let _ = AsyncCover::connect_tcp("127.0.0.1:1", ha_cover::asynchronous::by_handle, Boxed).await?;
    Ok(())
}

fn main() {
    drop(covers());
}
