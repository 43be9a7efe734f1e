//! Recovery declared by the handle, for async covers: the trait
//! `#[derive(Recoverable)]` implements beside [`HandleRecovery`](crate::HandleRecovery),
//! the recovery function that runs it, and the pieces the generated code is
//! made of.

use std::path::Path;

use super::connection::{AsyncConnection, AsyncSeekConnection};
use super::recover::{AsyncFailure, BoxFuture};
use super::targets::{AsyncReconnectTarget, AsyncReopenSeekTarget, AsyncReopenTarget};
use crate::connection::{Connection, Peer};
use crate::handle::Recoverable;
use crate::strategy::HandleRecovery;
use ha_cover_engine::AttemptError;

/// A handle that knows how to recover async connections of type `C`: the
/// async form of [`HandleRecovery`](crate::HandleRecovery).
///
/// `#[derive(Recoverable)]` implements it from `#[recoverable(strategy = ...)]`
/// (for every connection the strategy's async marker admits, such as
/// [`AsyncReopenSeekTarget`]) or `#[recoverable(with_async = ...)]`, running
/// the `after_async` hook if there is one; [`by_handle`] is the async recovery
/// function that calls it. By hand:
///
/// ```
/// use ha_cover::asynchronous::{AsyncFailure, AsyncHandleRecovery, BoxFuture, File};
/// use ha_cover::{AttemptError, Recoverable};
///
/// struct Replica { path: std::path::PathBuf }
/// impl Recoverable for Replica {}
///
/// impl AsyncHandleRecovery<File> for Replica {
///     fn recover<'a>(&'a mut self, failure: &'a AsyncFailure<'a, File>) -> BoxFuture<'a, Result<File, AttemptError>> {
///         Box::pin(failure.reopen_path(&self.path))
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "the handle `{Self}` has no async recovery for a `{C}`",
    label = "`ha_cover::asynchronous::by_handle` asks the handle to recover the connection",
    note = "declare one with `#[derive(Recoverable)]` and `#[recoverable(strategy = reopen_seek)]` (files), `#[recoverable(strategy = reconnect)]` (sockets) or `#[recoverable(with_async = your_function, connection = {C})]`",
    note = "a handle whose `after` hook is sync recovers sync covers only: give it an async hook with `after_async = ...`"
)]
pub trait AsyncHandleRecovery<C: AsyncConnection>: Recoverable {
    /// Makes one attempt to restore the connection; see
    /// [`AsyncRecover`](super::AsyncRecover).
    fn recover<'a>(
        &'a mut self,
        failure: &'a AsyncFailure<'a, C>,
    ) -> BoxFuture<'a, Result<C, AttemptError>>;
}

/// The async recovery function of a handle that [`AsyncHandleRecovery`] its
/// connection: pass it to any async constructor so the cover recovers the way
/// the handle declares.
///
/// ```no_run
/// use ha_cover::Recoverable;
/// use ha_cover::asynchronous::AsyncCover;
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
/// # async fn f() -> std::io::Result<()> {
/// let file = AsyncCover::open("/net/machine99/home/test/testfile", ha_cover::asynchronous::by_handle, Handle::default()).await?;
/// # Ok(()) }
/// ```
pub fn by_handle<'a, C: AsyncConnection, H: AsyncHandleRecovery<C>>(
    failure: &'a AsyncFailure<'a, C>,
    handle: &'a mut H,
) -> BoxFuture<'a, Result<C, AttemptError>> {
    handle.recover(failure)
}

/// Async recovery by a handle's *sync* recovery ([`HandleRecovery`]), for
/// connections that are sync [`Connection`]s too, as this module's
/// [`File`](super::File) is: a hand-written `HandleRecovery` impl, or a derived
/// `with = ...` function. The recovery is blocking code (an `open`, a `seek`):
/// on a multi-threaded runtime it runs with `block_in_place`, so other tasks go
/// on meanwhile. Sockets need [`by_handle`]: a sync hook cannot do I/O on a
/// tokio socket.
pub fn by_handle_blocking<'a, C, H>(
    failure: &'a AsyncFailure<'a, C>,
    handle: &'a mut H,
) -> BoxFuture<'a, Result<C, AttemptError>>
where
    C: AsyncConnection + Connection,
    H: HandleRecovery<C>,
{
    Box::pin(async move {
        let multi_thread = tokio::runtime::Handle::try_current()
            .is_ok_and(|rt| rt.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
        if multi_thread {
            tokio::task::block_in_place(|| handle.recover(&failure.0))
        } else {
            handle.recover(&failure.0)
        }
    })
}

/// `strategy = reopen`: the `#[ha(path)]` field when it names one, else the
/// path the file was opened with.
#[doc(hidden)]
pub fn reopen<'a, C: AsyncReopenTarget>(
    failure: &'a AsyncFailure<'a, C>,
    path: Option<&'a Path>,
) -> BoxFuture<'a, Result<C, AttemptError>> {
    match path {
        Some(path) => Box::pin(failure.reopen_path(path)),
        None => Box::pin(failure.reopen()),
    }
}

/// `strategy = reopen_seek`: [`reopen`], then seek to the `#[ha(offset)]`
/// field.
#[doc(hidden)]
pub fn reopen_seek<'a, C: AsyncReopenSeekTarget>(
    failure: &'a AsyncFailure<'a, C>,
    path: Option<&'a Path>,
    offset: u64,
) -> BoxFuture<'a, Result<C, AttemptError>> {
    Box::pin(async move {
        let mut fresh = reopen(failure, path).await?;
        let start = std::io::SeekFrom::Start(offset);
        std::future::poll_fn(|cx| AsyncSeekConnection::poll_seek(&mut fresh, cx, start)).await?;
        Ok(fresh)
    })
}

/// `strategy = reconnect`: the `#[ha(addr)]` field when it names a peer, else
/// the peer the socket was connected to.
#[doc(hidden)]
pub fn reconnect<'a, C: AsyncReconnectTarget>(
    failure: &'a AsyncFailure<'a, C>,
    peer: Option<Peer>,
) -> BoxFuture<'a, Result<C, AttemptError>> {
    Box::pin(async move {
        match peer {
            Some(peer) => failure.reconnect_to(&peer).await,
            None => failure.reconnect().await,
        }
    })
}

/// Everything the derive's and `#[ha_connection(..., asynchronous)]`'s
/// generated code names for async covers, re-exported by
/// `ha_cover::__private_<version>::asynchronous`.
pub(crate) mod generated {
    pub use super::super::connection::AsyncConnection;
    pub use super::super::cover::AsyncCover;
    pub use super::super::discover::{AsyncDiscoverHook, as_is, discover};
    pub use super::super::hook::{
        AsyncAfterSignature, AsyncHookResult, AsyncRecoverySignature, after, with,
    };
    pub use super::super::recover::{AsyncFailure, BoxFuture};
    pub use super::super::targets::{
        AsyncReconnectTarget, AsyncReopenSeekTarget, AsyncReopenTarget,
    };
    pub use super::{AsyncHandleRecovery, by_handle, reconnect, reopen, reopen_seek};
}
