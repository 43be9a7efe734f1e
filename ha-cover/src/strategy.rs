//! Recovery declared by the handle: the trait `#[derive(Recoverable)]` implements
//! from `#[recoverable(strategy = ...)]`, the recovery function that runs it, and
//! the pieces the generated code is made of.

pub(crate) mod discover;
pub(crate) mod fields;
mod if_tokio;
pub(crate) mod signature;
mod targets;

use std::path::Path;

use crate::connection::{Connection, Peer};
use crate::handle::Recoverable;
use crate::recovery::Failure;
use ha_cover_engine::AttemptError;

#[cfg(all(feature = "tokio", not(loom)))]
pub(crate) use discover::none_took;
pub use discover::{Discover, IntoPeers, Lookup};
pub(crate) use discover::{Rediscover, SharedDiscover};
pub use fields::{AddrField, OffsetField, PathField, RecoveriesField};
pub use signature::{after, with};
pub use targets::{ReconnectTarget, ReopenSeekTarget, ReopenTarget};

/// A handle that knows how to recover connections of type `C`: its recovery
/// function is part of it instead of being passed beside it.
///
/// `#[derive(Recoverable)]` implements it from `#[recoverable(strategy = ...)]` or
/// `#[recoverable(with = ...)]`, for every connection the strategy can recover;
/// [`by_handle`] is the recovery function that calls it. By hand:
///
/// ```
/// use std::fs::File;
/// use ha_cover::{AttemptError, Failure, Recoverable, HandleRecovery};
///
/// struct Replica { path: std::path::PathBuf }
/// impl Recoverable for Replica {}
///
/// impl HandleRecovery<File> for Replica {
///     fn recover(&mut self, failure: &Failure<'_, File>) -> Result<File, AttemptError> {
///         failure.reopen_path(&self.path)
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "the handle `{Self}` has no recovery for a `{C}`",
    label = "`ha_cover::by_handle` asks the handle to recover the connection",
    note = "declare one with `#[derive(Recoverable)]` and `#[recoverable(strategy = reopen_seek)]` (files), `#[recoverable(strategy = reconnect)]` (sockets) or `#[recoverable(with = your_function, connection = {C})]`; or pass your recovery function itself instead of `ha_cover::by_handle`"
)]
pub trait HandleRecovery<C: Connection>: Recoverable {
    /// Makes one attempt to restore the connection; see [`Recover`](crate::Recover).
    fn recover(&mut self, failure: &Failure<'_, C>) -> Result<C, AttemptError>;
}

/// The recovery function of a handle that [`HandleRecovery`] its connection: pass it to
/// any constructor so the cover recovers the way the handle declares.
///
/// ```no_run
/// use ha_cover::{Cover, Recoverable};
///
/// #[derive(Recoverable, Default)]
/// #[recoverable(strategy = reopen_seek)]
/// struct Handle {
///     #[ha(offset)]
///     curr_offset: u64,
///     #[ha(recoveries)]
///     nr: u32,
/// }
///
/// # fn main() -> std::io::Result<()> {
/// let file = Cover::open("/net/machine99/home/test/testfile", ha_cover::by_handle, Handle::default())?;
/// # Ok(()) }
/// ```
pub fn by_handle<C: Connection, H: HandleRecovery<C>>(
    failure: &Failure<'_, C>,
    handle: &mut H,
) -> Result<C, AttemptError> {
    handle.recover(failure)
}

/// `strategy = reopen`: the `#[ha(path)]` field when it names one, else the path
/// the file was opened with.
pub fn reopen<C: ReopenTarget>(
    failure: &Failure<'_, C>,
    path: Option<&Path>,
) -> Result<C, AttemptError> {
    match path {
        Some(path) => failure.reopen_path(path),
        None => failure.reopen(),
    }
}

/// `strategy = reopen_seek`: [`reopen`], then seek to the `#[ha(offset)]` field.
pub fn reopen_seek<C: ReopenSeekTarget>(
    failure: &Failure<'_, C>,
    path: Option<&Path>,
    offset: u64,
) -> Result<C, AttemptError> {
    let mut fresh = reopen(failure, path)?;
    std::io::Seek::seek(&mut fresh, std::io::SeekFrom::Start(offset))?;
    Ok(fresh)
}

/// `strategy = reconnect`: the `#[ha(addr)]` field when it names a peer, else the
/// peer the socket was connected to.
pub fn reconnect<C: ReconnectTarget>(
    failure: &Failure<'_, C>,
    peer: Option<Peer>,
) -> Result<C, AttemptError> {
    match peer {
        Some(peer) => failure.reconnect_to(&peer),
        None => failure.reconnect(),
    }
}

/// The errors a `with` function, an `after` hook or a discovery may return.
#[diagnostic::on_unimplemented(
    message = "a `with` function, `after` hook or discovery cannot fail with `{Self}`",
    label = "its error type is `{Self}`",
    note = "return `std::io::Result<_>` (the attempt is retried as the policy allows) or `Result<_, ha_cover::AttemptError>` (`AttemptError::give_up` ends the recovery)"
)]
pub trait HookError {
    /// The error as the result of a recovery attempt.
    fn into_attempt_error(self) -> AttemptError;
}

impl HookError for AttemptError {
    fn into_attempt_error(self) -> AttemptError {
        self
    }
}

impl HookError for std::io::Error {
    fn into_attempt_error(self) -> AttemptError {
        self.into()
    }
}

impl HookError for std::io::ErrorKind {
    fn into_attempt_error(self) -> AttemptError {
        self.into()
    }
}

/// Everything the derive's generated code names, re-exported by
/// `ha_cover::__private_<version>` so that code never depends on what the
/// user's crate has in scope.
pub(crate) mod generated {
    pub use super::discover::discover;
    pub use super::if_tokio::{if_tokio, require_tokio};
    pub use super::{
        AddrField, HandleRecovery, HookError, IntoPeers, Lookup, OffsetField, PathField,
        ReconnectTarget, RecoveriesField, ReopenSeekTarget, ReopenTarget, after, reconnect, reopen,
        reopen_seek, with,
    };
    pub use crate::connection::Connection;
    pub use crate::handle::{Recoverable, Transfer};
    pub use crate::recovery::Failure;
    pub use ha_cover_engine::AttemptError;
    pub use std::marker::Send;
    pub use std::option::Option::{self, None};
    pub use std::result::Result::{self, Ok};
}
