//! Which async connections each strategy can recover: the async counterparts
//! of [`ReopenTarget`](crate::ReopenTarget), [`ReopenSeekTarget`](crate::ReopenSeekTarget)
//! and [`ReconnectTarget`](crate::ReconnectTarget).
//!
//! As for the sync markers, one trait per strategy, implemented by each
//! connection type rather than blanket over [`AsyncFileConnection`] or
//! [`AsyncSocketConnection`], so that a handle used with the wrong connection
//! fails with a sentence naming the strategy and the connection, not the inner
//! trait's.

use tokio::net::{TcpStream, UnixStream};

use super::connection::{AsyncFileConnection, AsyncSeekConnection, AsyncSocketConnection};
use super::file::File;

/// Async connections `#[recoverable(strategy = reopen)]` recovers: files, by
/// opening their path again.
///
/// Implemented for this module's [`File`]. An [`AsyncFileConnection`] of your
/// own opts in with `impl ha_cover::asynchronous::AsyncReopenTarget for MyFile {}`.
#[diagnostic::on_unimplemented(
    message = "strategy `reopen` recovers files; `{Self}` is not an async file connection",
    label = "this handle's `strategy = reopen` cannot recover a `{Self}`",
    note = "an async socket (tokio's `UnixStream`, `TcpStream`) is recovered with `#[recoverable(strategy = reconnect)]`",
    note = "an async cover's file is `ha_cover::asynchronous::File` (tokio's own buffers its writes); an async file connection type of your own opts in with `impl ha_cover::asynchronous::AsyncReopenTarget for MyFile {{}}`"
)]
pub trait AsyncReopenTarget: AsyncFileConnection {}

/// Async connections `#[recoverable(strategy = reopen_seek)]` recovers: files
/// that can seek, by opening their path again and seeking back to the handle's
/// offset.
///
/// Implemented for this module's [`File`]. A seekable [`AsyncFileConnection`]
/// of your own opts in with `impl ha_cover::asynchronous::AsyncReopenSeekTarget for MyFile {}`.
#[diagnostic::on_unimplemented(
    message = "strategy `reopen_seek` recovers files; `{Self}` is not a seekable async file connection",
    label = "this handle's `strategy = reopen_seek` cannot recover a `{Self}`",
    note = "an async socket (tokio's `UnixStream`, `TcpStream`) is recovered with `#[recoverable(strategy = reconnect)]`",
    note = "an async cover's file is `ha_cover::asynchronous::File`; a seekable async file connection type of your own opts in with `impl ha_cover::asynchronous::AsyncReopenSeekTarget for MyFile {{}}`"
)]
pub trait AsyncReopenSeekTarget: AsyncReopenTarget + AsyncSeekConnection {}

/// Async connections `#[recoverable(strategy = reconnect)]` recovers: sockets,
/// by connecting to their peer again.
///
/// Implemented for tokio's [`UnixStream`] and [`TcpStream`]. An `after_async`
/// hook generic over `C: AsyncReconnectTarget` reads and writes the new
/// connection through [`Uncovered`](super::Uncovered), which gives it tokio's
/// I/O traits. An [`AsyncSocketConnection`] of your own opts in with
/// `impl ha_cover::asynchronous::AsyncReconnectTarget for MySocket {}`.
#[diagnostic::on_unimplemented(
    message = "strategy `reconnect` recovers sockets; `{Self}` is not an async socket connection",
    label = "this handle's `strategy = reconnect` cannot recover a `{Self}`",
    note = "an async file (`ha_cover::asynchronous::File`) is recovered with `#[recoverable(strategy = reopen_seek)]` or `#[recoverable(strategy = reopen)]`",
    note = "an async cover's sockets are tokio's `UnixStream` and `TcpStream`; an async socket connection type of your own opts in with `impl ha_cover::asynchronous::AsyncReconnectTarget for MySocket {{}}`"
)]
pub trait AsyncReconnectTarget: AsyncSocketConnection {}

impl AsyncReopenTarget for File {}
impl AsyncReopenSeekTarget for File {}
impl AsyncReconnectTarget for UnixStream {}
impl AsyncReconnectTarget for TcpStream {}

#[cfg(feature = "fault-injection")]
#[cfg_attr(docsrs, doc(cfg(feature = "fault-injection")))]
mod faulty {
    use super::{AsyncReconnectTarget, AsyncReopenSeekTarget, AsyncReopenTarget};
    use crate::fault::Faulty;

    impl<C: AsyncReopenTarget> AsyncReopenTarget for Faulty<C> {}
    impl<C: AsyncReopenSeekTarget> AsyncReopenSeekTarget for Faulty<C> {}
    impl<C: AsyncReconnectTarget> AsyncReconnectTarget for Faulty<C> {}
}
