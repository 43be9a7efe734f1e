//! Async covers for tokio (feature `tokio`): the same recovery, retransmission
//! rules, write policies, dups, limits and events as the sync [`Cover`](crate::Cover),
//! through tokio's `AsyncRead`, `AsyncWrite` and `AsyncSeek`.
//!
//! ```no_run
//! use ha_cover::asynchronous::{AsyncCover, reconnect};
//! use tokio::io::{AsyncReadExt, AsyncWriteExt};
//!
//! # async fn f() -> std::io::Result<()> {
//! let mut db = AsyncCover::connect_unix("/run/db.sock", reconnect, ()).await?;
//! db.write_all(b"PING\n").await?; // recovers if the server was restarted
//! let mut reply = [0; 5];
//! db.read_exact(&mut reply).await?;
//! # Ok(()) }
//! ```
//!
//! With the default [`WritePolicy::Never`](crate::WritePolicy::Never), a
//! `PING` the server may have received before it died is not sent again: if
//! it dies before answering, the `read_exact` fails with
//! [`Indeterminate`](crate::Indeterminate) once the connection is back. A
//! protocol whose requests are safe to repeat chooses
//! [`WritePolicy::Replay`](crate::WritePolicy::Replay) on its builder
//! (`AsyncCover::builder().write_policy(WritePolicy::Replay)`): the
//! unanswered request is sent again and the read returns its answer.
//!
//! Files are this module's [`File`], which runs each read and write as one
//! system call on tokio's blocking pool (tokio's own `File` buffers writes and
//! reports their errors on a later call, which would hide which bytes a failure
//! concerned); make one from a tokio file with [`File::from_tokio`]. Sockets
//! are tokio's `UnixStream` and `TcpStream`, written with `MSG_NOSIGNAL`.
//!
//! A recovery runs as a task of its own on the current runtime. A future
//! dropped in the middle of one (a timeout, a `select!`) leaves it running; the
//! next operation on the cover, or on any of its [dups](AsyncCover::dup) in any
//! task, joins it or starts the next. While the server is away the task waits
//! for the kernel to report it back (the mount table, the socket's directory),
//! as the sync cover does. Once the cover and all its dups are dropped, the
//! task ends at its next step, as cancelled, and closes what it held.
//!
//! The macros declare async covers too: a
//! [`#[derive(Recoverable)]`](derive@crate::Recoverable) handle with a strategy
//! recovers them through [`by_handle`] ([`AsyncHandleRecovery`]), with an async
//! handshake in `after_async = ...`; and
//! [`#[ha_connection(..., asynchronous)]`](macro@crate::ha_connection) declares an
//! async typed cover ([`AsyncTypedCover`](crate::typed::AsyncTypedCover)).

mod append_slot;
mod builder;
mod connection;
mod cover;
mod discover;
mod file;
mod group;
mod hook;
mod io;
mod ops;
mod recover;
mod strategy;
mod targets;
mod uncovered;
mod watch;

pub use builder::{AsyncRecoveryFn, Tokio};
pub use connection::{
    AsyncConnection, AsyncFileConnection, AsyncFileOps, AsyncSeekConnection, AsyncSocketConnection,
};
pub use cover::AsyncCover;
pub use discover::AsyncDiscover;
pub(crate) use discover::{AsyncRediscover, SharedAsyncDiscover};
pub use file::File;
pub use recover::{AsyncFailure, AsyncRecover, BoxFuture, reconnect, reopen, reopen_seek};
pub use strategy::{AsyncHandleRecovery, by_handle, by_handle_blocking};
pub use targets::{AsyncReconnectTarget, AsyncReopenSeekTarget, AsyncReopenTarget};
pub use uncovered::Uncovered;

pub(crate) use io::{ReadAtOp, SyncOp, WriteAtOp};
pub(crate) use strategy::generated;
pub(crate) use watch::AsyncWatcher;
