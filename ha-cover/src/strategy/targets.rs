//! Which connections each strategy can recover.
//!
//! One marker trait per strategy, implemented by each connection type the
//! strategy can recover, so that a handle used with the wrong kind of connection
//! fails to compile with a sentence naming both. They are not blanket impls over
//! [`FileConnection`] or [`SocketConnection`] on purpose: rustc reports an unmet
//! bound of a blanket impl with the message of the inner trait, which names
//! neither the strategy nor the fix.

use std::fs::File;
use std::io::{Read, Seek};
use std::net::TcpStream;
use std::os::unix::net::UnixStream;

use crate::connection::{FileConnection, SocketConnection, WriteConnection};

/// Connections `#[recoverable(strategy = reopen)]` recovers: files, by opening
/// their path again.
///
/// Implemented for [`File`]. A [`FileConnection`] of your own opts in with
/// `impl ha_cover::ReopenTarget for MyFile {}`.
#[diagnostic::on_unimplemented(
    message = "strategy `reopen` recovers files; `{Self}` is not a file connection",
    label = "this handle's `strategy = reopen` cannot recover a `{Self}`",
    note = "a socket (`UnixStream`, `TcpStream`) is recovered with `#[recoverable(strategy = reconnect)]`",
    note = "a file connection type of your own opts in with `impl ha_cover::ReopenTarget for MyFile {{}}`"
)]
pub trait ReopenTarget: FileConnection {}

/// Connections `#[recoverable(strategy = reopen_seek)]` recovers: files that can
/// seek, by opening their path again and seeking back to the handle's offset.
///
/// Implemented for [`File`]. A seekable [`FileConnection`] of your own opts in
/// with `impl ha_cover::ReopenSeekTarget for MyFile {}`.
#[diagnostic::on_unimplemented(
    message = "strategy `reopen_seek` recovers files; `{Self}` is not a seekable file connection",
    label = "this handle's `strategy = reopen_seek` cannot recover a `{Self}`",
    note = "a socket (`UnixStream`, `TcpStream`) is recovered with `#[recoverable(strategy = reconnect)]`",
    note = "a seekable file connection type of your own opts in with `impl ha_cover::ReopenSeekTarget for MyFile {{}}`"
)]
pub trait ReopenSeekTarget: ReopenTarget + Seek {}

/// Connections `#[recoverable(strategy = reconnect)]` recovers: sockets, by
/// connecting to their peer again.
///
/// Implemented for [`UnixStream`] and [`TcpStream`]. It also promises what an
/// `after` hook replaying a handshake needs, writing ([`WriteConnection`]) and
/// reading ([`Read`]), so a hook generic over `C: ReconnectTarget` can do both. A
/// [`SocketConnection`] of your own opts in with
/// `impl ha_cover::ReconnectTarget for MySocket {}`.
#[diagnostic::on_unimplemented(
    message = "strategy `reconnect` recovers sockets; `{Self}` is not a socket connection",
    label = "this handle's `strategy = reconnect` cannot recover a `{Self}`",
    note = "a file is recovered with `#[recoverable(strategy = reopen_seek)]` or `#[recoverable(strategy = reopen)]`",
    note = "a socket connection type of your own opts in with `impl ha_cover::ReconnectTarget for MySocket {{}}`"
)]
pub trait ReconnectTarget: SocketConnection + WriteConnection + Read {}

impl ReopenTarget for File {}
impl ReopenSeekTarget for File {}
impl ReconnectTarget for UnixStream {}
impl ReconnectTarget for TcpStream {}

#[cfg(feature = "fault-injection")]
#[cfg_attr(docsrs, doc(cfg(feature = "fault-injection")))]
mod faulty {
    use super::{ReconnectTarget, ReopenSeekTarget, ReopenTarget};
    use crate::fault::Faulty;

    impl<C: ReopenTarget> ReopenTarget for Faulty<C> {}
    impl<C: ReopenSeekTarget> ReopenSeekTarget for Faulty<C> {}
    impl<C: ReconnectTarget> ReconnectTarget for Faulty<C> {}
}
