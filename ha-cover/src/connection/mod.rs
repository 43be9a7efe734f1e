//! What a cover needs from the connection under it, and the implementations for
//! std's files and sockets.
//!
//! A covered connection is any type implementing [`Connection`]; the cover then
//! offers each capability the connection has: `Read` when it is `Read`, `Write`
//! through [`WriteConnection`], `Seek` when it is `Seek`, positioned I/O when it is
//! [`FileExt`](std::os::unix::fs::FileExt), `sync_all`/`sync_data` through
//! [`SyncConnection`], `Read` and `Write` through `&Cover` with
//! [`SharedConnection`]. Recovery helpers need one more trait: [`FileConnection`] to
//! reopen a path, [`SocketConnection`] to reconnect to a peer.

mod file;
#[cfg(all(feature = "tokio", not(loom)))]
pub(crate) use file::open_flags;
mod socket;

use std::io::{self, IoSlice};
use std::os::fd::BorrowedFd;
use std::path::Path;

use crate::origin::Origin;

pub use socket::Peer;

pub use ha_cover_engine::Kind;

/// A connection a cover can hold: something that can fail when its server dies and
/// be replaced by a new one.
///
/// Implemented for [`File`](std::fs::File), [`UnixStream`](std::os::unix::net::UnixStream)
/// and [`TcpStream`](std::net::TcpStream). Implement it for your own connection
/// type to cover it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a connection a cover can hold",
    label = "not a `ha_cover::Connection`",
    note = "a cover holds std's `File`, `UnixStream` or `TcpStream`; tokio's `UnixStream` and `TcpStream` and `ha_cover::asynchronous::File` go in an async cover: `AsyncCover`, or `#[ha_connection(..., asynchronous)]`",
    note = "a connection type of your own implements `ha_cover::Connection`: see its documentation"
)]
pub trait Connection: Sized + Send + 'static {
    /// The kind of server behind connections of this type.
    const KIND: Kind;

    /// Another handle on the same open connection, as `dup(2)` makes: both see the
    /// same file position and the same stream.
    fn try_dup(&self) -> io::Result<Self>;

    /// The descriptor behind the connection, if it has one. The cover uses it only
    /// after a failure: to read the position a dead file had reached, and to tell
    /// a dead descriptor from one opened without the access an operation needs.
    fn descriptor(&self) -> Option<BorrowedFd<'_>>;

    /// Where this connection leads, for a cover attached to it after it was opened
    /// ([`Cover::attach`](crate::Cover::attach)): a file's path and flags, a socket's
    /// peer. The default, [`Origin::Unknown`], leaves the recovery function to say
    /// what to open.
    fn origin(&self) -> Origin {
        Origin::Unknown
    }

    /// Puts `fresh` in this connection's place through `&self`, for a
    /// recovery made by a call through `&self` (positioned I/O that threads
    /// share: [`Cover::read_at`](crate::Cover::read_at)): std's `File`,
    /// `UnixStream` and `TcpStream` put `fresh`'s open file description under
    /// their own descriptor number (`dup3`), as QNX's `ha_reopen` does. The
    /// default cannot, and gives `fresh` back: the cover keeps it, and calls
    /// through `&self` fail with `Unsupported` until the cover's next call
    /// through `&mut self` moves to it. A type that keeps state beside its
    /// descriptor moves that state over too, or keeps the default.
    fn repoint(&self, fresh: Self) -> Result<(), Self> {
        Err(fresh)
    }
}

/// `repoint` for a connection that is all in its descriptor.
pub(crate) fn repoint_descriptor<C: Connection>(onto: &C, fresh: C) -> Result<(), C> {
    let (Some(to), Some(from)) = (onto.descriptor(), fresh.descriptor()) else {
        return Err(fresh);
    };
    match crate::sys::repoint(from, to) {
        Ok(()) => {
            crate::background_close::close_later(fresh);
            Ok(())
        }
        Err(_) => Err(fresh),
    }
}

/// How a cover writes to a connection.
///
/// A separate trait from [`std::io::Write`] because sockets must be written with
/// `MSG_NOSIGNAL`: std's `UnixStream` writes with `write(2)`, and a dead peer would
/// raise `SIGPIPE` and kill the process before the cover could recover.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a connection a cover can write to",
    label = "writing needs `ha_cover::WriteConnection`",
    note = "std's `File`, `UnixStream` and `TcpStream` implement it; a connection type of your own implements `ha_cover::WriteConnection`, not only `std::io::Write`: see its documentation"
)]
pub trait WriteConnection: Connection {
    /// Writes some of `buf`, returning how many bytes were accepted.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize>;

    /// Writes from several buffers at once. The default writes the first non-empty one.
    fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        let buf = bufs
            .iter()
            .find(|b| !b.is_empty())
            .map_or(&[][..], |b| &**b);
        self.write(buf)
    }

    /// Flushes anything the connection buffers in this process. The default does
    /// nothing, which is right for unbuffered descriptors.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Connections that can be read and written through a shared reference, as
/// std's `&File`, `&UnixStream` and `&TcpStream` can: a cover over one is
/// `Read` and `Write` through `&Cover`, so that threads share it in an `Arc`.
///
/// Implemented for [`File`](std::fs::File), [`UnixStream`](std::os::unix::net::UnixStream)
/// and [`TcpStream`](std::net::TcpStream) (sockets written with
/// `MSG_NOSIGNAL`, as [`WriteConnection`] says why).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read or written through a shared reference, so `&Cover<{Self}>` is not `Read` or `Write`",
    label = "I/O through `&Cover` needs `ha_cover::SharedConnection`",
    note = "std's `File`, `UnixStream` and `TcpStream` implement it; otherwise use the cover through `&mut`, or a dup per thread"
)]
pub trait SharedConnection: Connection {
    /// Reads some bytes into `buf` through `&self`.
    fn read_shared(&self, buf: &mut [u8]) -> io::Result<usize>;

    /// Writes some of `buf` through `&self`, returning how many bytes were
    /// accepted.
    fn write_shared(&self, buf: &[u8]) -> io::Result<usize>;
}

/// Connections whose data can be forced to stable storage (`fsync`, `fdatasync`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no storage a cover can flush, so it cannot `sync_all` or `sync_data`",
    label = "syncing needs `ha_cover::SyncConnection`",
    note = "std's `File` implements it; a file connection type of your own implements `ha_cover::SyncConnection`: see its documentation"
)]
pub trait SyncConnection: Connection {
    /// Flushes data and metadata to the device (`fsync(2)`).
    fn sync_all(&self) -> io::Result<()>;
    /// Flushes data, and metadata only where needed to read it back (`fdatasync(2)`).
    fn sync_data(&self) -> io::Result<()>;
}

/// Connections that are files reached through a path, so recovery can open the
/// path again.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a file connection, so it cannot be reopened by path",
    label = "reopening needs a file",
    note = "sockets are recovered by reconnecting: see `SocketConnection` and `Failure::reconnect`"
)]
pub trait FileConnection: Connection {
    /// Opens `path` again with `flags` (`open(2)` flags from which the cover has
    /// already removed `O_CREAT`, `O_EXCL` and `O_TRUNC`). `dead` is the connection
    /// that failed, for implementations that carry configuration over.
    fn reopen(dead: &Self, path: &Path, flags: libc::c_int) -> io::Result<Self>;
}

/// Connections that are sockets to a peer address, so recovery can connect again.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a socket connection, so it cannot be reconnected",
    label = "reconnecting needs a socket",
    note = "files are recovered by reopening their path: see `FileConnection` and `Failure::reopen`"
)]
pub trait SocketConnection: Connection {
    /// The address of the peer this socket is connected to.
    fn peer(&self) -> io::Result<Peer>;

    /// Connects to `peer` again. `dead` is the socket that failed: its options
    /// (timeouts, `TCP_NODELAY`, non-blocking mode) are carried over. `timeout`
    /// bounds the connect where the transport allows it.
    fn reconnect(
        dead: &Self,
        peer: &Peer,
        timeout: Option<std::time::Duration>,
    ) -> io::Result<Self>;
}
