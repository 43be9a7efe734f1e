//! tokio's I/O traits on a bare async connection, for recovery code.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::connection::AsyncConnection;

/// A connection seen through tokio's `AsyncRead` and `AsyncWrite`, with no
/// cover: a failure is returned as it comes.
///
/// For recovery code generic over the connection, which has only the
/// [`AsyncConnection`] methods: an `after_async` hook replaying a handshake
/// can use `write_all`, `read_exact`, a `BufReader`... Writes go through the
/// connection's own `poll_write`, so a socket is written with `MSG_NOSIGNAL`
/// (tokio's `UnixStream` itself would raise `SIGPIPE` on a dead peer).
///
/// ```
/// use ha_cover::asynchronous::{AsyncReconnectTarget, Uncovered};
/// use tokio::io::AsyncWriteExt;
///
/// async fn subscribe<C: AsyncReconnectTarget>(conn: &mut C) -> std::io::Result<()> {
///     Uncovered::new(conn).write_all(b"SUBSCRIBE news\n").await
/// }
/// ```
#[derive(Debug)]
pub struct Uncovered<'a, C>(&'a mut C);

impl<'a, C: AsyncConnection> Uncovered<'a, C> {
    /// The connection, uncovered.
    pub fn new(conn: &'a mut C) -> Self {
        Self(conn)
    }
}

impl<C: AsyncConnection> AsyncRead for Uncovered<'_, C> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        AsyncConnection::poll_read(self.get_mut().0, cx, buf)
    }
}

impl<C: AsyncConnection> AsyncWrite for Uncovered<'_, C> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        AsyncConnection::poll_write(self.get_mut().0, cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        AsyncConnection::poll_flush(self.get_mut().0, cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        AsyncConnection::poll_shutdown(self.get_mut().0, cx)
    }
}
