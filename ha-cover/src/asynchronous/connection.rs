//! What an async cover needs from the connection under it, and the
//! implementations for tokio's sockets.

use std::future::Future;
use std::io::{self, SeekFrom};
use std::os::fd::{AsFd, BorrowedFd};
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use tokio::io::{AsyncRead, Interest, ReadBuf};
use tokio::net::{TcpStream, UnixStream};

use crate::connection::{Kind, Peer};
use crate::origin::Origin;
use crate::sys;

/// A connection an [`AsyncCover`](super::AsyncCover) can hold. Implemented for
/// tokio's [`UnixStream`] and [`TcpStream`] and for this module's
/// [`File`](super::File); implement it for your own connection to cover it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an async connection, so an async cover cannot hold it",
    label = "not a `ha_cover::asynchronous::AsyncConnection`",
    note = "an async cover holds tokio's `UnixStream` or `TcpStream` (`tokio::net::...`, not `std::...`) or `ha_cover::asynchronous::File`; std's blocking connections go in a sync cover: `Cover`, or `#[ha_connection(...)]` without `asynchronous`",
    note = "a connection type of your own implements `ha_cover::asynchronous::AsyncConnection`: see its documentation"
)]
pub trait AsyncConnection: Sized + Send + Sync + Unpin + 'static {
    /// The kind of server behind connections of this type.
    const KIND: Kind;

    /// Another handle on the same open connection, as `dup(2)` makes.
    fn try_dup(&self) -> io::Result<Self>;

    /// The descriptor behind the connection, if it has one (used only after a
    /// failure, as by the sync cover).
    fn descriptor(&self) -> Option<BorrowedFd<'_>>;

    /// Where the connection leads, for covers attached after it was opened.
    fn origin(&self) -> Origin {
        Origin::Unknown
    }

    /// Reads into `buf`, as [`AsyncRead::poll_read`].
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>>;

    /// Writes some of `buf`. Sockets must not raise `SIGPIPE` (send with
    /// `MSG_NOSIGNAL`).
    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>>;

    /// Flushes what the connection buffers in this process.
    fn poll_flush(&mut self, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    /// Shuts the writing half down.
    fn poll_shutdown(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_flush(cx)
    }

    /// Takes from the connection a member leaves for the group's new one
    /// what it holds for its caller and has not delivered: bytes a read
    /// fetched for a caller that gave up waiting (this module's `File`).
    /// Nothing by default.
    #[doc(hidden)]
    fn carry_over(&mut self, _old: &mut Self) {}
}

/// Async connections with a position.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no position, so an async cover cannot seek it",
    label = "seeking needs `ha_cover::asynchronous::AsyncSeekConnection`",
    note = "a socket has no position; the async file connection with one is `ha_cover::asynchronous::File`",
    note = "a file connection type of your own implements `ha_cover::asynchronous::AsyncSeekConnection`: see its documentation"
)]
pub trait AsyncSeekConnection: AsyncConnection {
    /// Moves the position, as `lseek(2)`.
    fn poll_seek(&mut self, cx: &mut Context<'_>, pos: SeekFrom) -> Poll<io::Result<u64>>;
}

/// Async connections with positioned reads and writes and `fsync`, which leave
/// the position alone.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no positioned reads and writes or `fsync`, so an async cover cannot `read_at`, `write_at`, `sync_all` or `sync_data` it",
    label = "needs `ha_cover::asynchronous::AsyncFileOps`",
    note = "a socket has no offsets and no storage; the async file connection with them is `ha_cover::asynchronous::File`",
    note = "a file connection type of your own implements `ha_cover::asynchronous::AsyncFileOps`: see its documentation"
)]
pub trait AsyncFileOps: AsyncConnection {
    /// Reads at `offset` (`pread`).
    fn poll_read_at(
        &mut self,
        cx: &mut Context<'_>,
        buf: &mut [u8],
        offset: u64,
    ) -> Poll<io::Result<usize>>;
    /// Writes at `offset` (`pwrite`).
    fn poll_write_at(
        &mut self,
        cx: &mut Context<'_>,
        buf: &[u8],
        offset: u64,
    ) -> Poll<io::Result<usize>>;
    /// Flushes to the device: data and metadata (`fsync`), or data only (`fdatasync`).
    fn poll_sync(&mut self, cx: &mut Context<'_>, data_only: bool) -> Poll<io::Result<()>>;
}

/// Async connections that are files reached through a path.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an async file connection, so it cannot be reopened by path",
    label = "reopening needs a file",
    note = "async sockets are recovered by reconnecting: `AsyncFailure::reconnect`"
)]
pub trait AsyncFileConnection: AsyncConnection {
    /// Opens `path` again with `flags` (already made safe by the cover).
    fn reopen(
        dead: &Self,
        path: &Path,
        flags: libc::c_int,
    ) -> impl Future<Output = io::Result<Self>> + Send;
}

/// Async connections that are sockets to a peer.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an async socket connection, so it cannot be reconnected",
    label = "reconnecting needs a socket",
    note = "async files are recovered by reopening their path: `AsyncFailure::reopen`"
)]
pub trait AsyncSocketConnection: AsyncConnection {
    /// The address of the peer.
    fn peer(&self) -> io::Result<Peer>;

    /// Connects to `peer` again, carrying the dead socket's options over.
    fn reconnect(
        dead: &Self,
        peer: &Peer,
        timeout: Option<Duration>,
    ) -> impl Future<Output = io::Result<Self>> + Send;
}

/// `send` with `MSG_NOSIGNAL` once tokio says the socket is writable.
fn poll_send(
    readiness: impl Fn(&mut Context<'_>) -> Poll<io::Result<()>>,
    try_io: impl Fn(&dyn Fn() -> io::Result<usize>) -> io::Result<usize>,
    fd: BorrowedFd<'_>,
    cx: &mut Context<'_>,
    buf: &[u8],
) -> Poll<io::Result<usize>> {
    loop {
        ready!(readiness(cx))?;
        match try_io(&|| sys::send(fd, buf)) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
            result => return Poll::Ready(result),
        }
    }
}

fn wrong_peer(peer: &Peer) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("cannot reconnect this socket type to {peer}"),
    )
}

impl AsyncConnection for UnixStream {
    const KIND: Kind = Kind::Socket;

    fn try_dup(&self) -> io::Result<Self> {
        // The duplicate shares the open file description, so it is already in
        // non-blocking mode, as tokio needs.
        UnixStream::from_std(std::os::unix::net::UnixStream::from(
            self.as_fd().try_clone_to_owned()?,
        ))
    }

    fn descriptor(&self) -> Option<BorrowedFd<'_>> {
        Some(self.as_fd())
    }

    fn origin(&self) -> Origin {
        self.peer_addr()
            .ok()
            .and_then(|addr| addr.as_pathname().map(Peer::unix))
            .and_then(Result::ok)
            .map_or(Origin::Unknown, Origin::Socket)
    }

    #[inline]
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(self).poll_read(cx, buf)
    }

    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = &*self;
        poll_send(
            |cx| this.poll_write_ready(cx),
            |f| this.try_io(Interest::WRITABLE, f),
            this.as_fd(),
            cx,
            buf,
        )
    }

    fn poll_shutdown(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        tokio::io::AsyncWrite::poll_shutdown(Pin::new(self), cx)
    }
}

impl AsyncSocketConnection for UnixStream {
    fn peer(&self) -> io::Result<Peer> {
        let addr = self.peer_addr()?;
        let path = addr
            .as_pathname()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the peer has no path"))?;
        Peer::unix(path)
    }

    async fn reconnect(_dead: &Self, peer: &Peer, _timeout: Option<Duration>) -> io::Result<Self> {
        // A Unix-socket connect is refused or accepted at once.
        let Peer::Unix(addr) = peer else {
            return Err(wrong_peer(peer));
        };
        let std = std::os::unix::net::UnixStream::connect_addr(addr)?;
        std.set_nonblocking(true)?;
        UnixStream::from_std(std)
    }
}

impl AsyncConnection for TcpStream {
    const KIND: Kind = Kind::Socket;

    fn try_dup(&self) -> io::Result<Self> {
        TcpStream::from_std(std::net::TcpStream::from(
            self.as_fd().try_clone_to_owned()?,
        ))
    }

    fn descriptor(&self) -> Option<BorrowedFd<'_>> {
        Some(self.as_fd())
    }

    fn origin(&self) -> Origin {
        self.peer_addr()
            .map_or(Origin::Unknown, |addr| Origin::Socket(Peer::Tcp(addr)))
    }

    #[inline]
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(self).poll_read(cx, buf)
    }

    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = &*self;
        poll_send(
            |cx| this.poll_write_ready(cx),
            |f| this.try_io(Interest::WRITABLE, f),
            this.as_fd(),
            cx,
            buf,
        )
    }

    fn poll_shutdown(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        tokio::io::AsyncWrite::poll_shutdown(Pin::new(self), cx)
    }
}

impl AsyncSocketConnection for TcpStream {
    fn peer(&self) -> io::Result<Peer> {
        self.peer_addr().map(Peer::Tcp)
    }

    async fn reconnect(dead: &Self, peer: &Peer, timeout: Option<Duration>) -> io::Result<Self> {
        let Peer::Tcp(addr) = peer else {
            return Err(wrong_peer(peer));
        };
        let fresh = match timeout {
            Some(limit) => tokio::time::timeout(limit, TcpStream::connect(addr))
                .await
                .map_err(|_| io::Error::from(io::ErrorKind::TimedOut))??,
            None => TcpStream::connect(addr).await?,
        };
        fresh.set_nodelay(dead.nodelay()?)?;
        fresh.set_ttl(dead.ttl()?)?;
        Ok(fresh)
    }
}
