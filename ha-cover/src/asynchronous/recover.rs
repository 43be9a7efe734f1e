//! Recovery for async covers: the recovery function, what it is given, and the
//! task that runs one recovery cycle for a whole group.

use std::future::Future;
use std::io::{self, SeekFrom};
use std::ops::Deref;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Instant;

use super::connection::{
    AsyncConnection, AsyncFileConnection, AsyncSeekConnection, AsyncSocketConnection,
};
use ha_cover_engine::{Action, AttemptError, Cause, Group, Recovery};

use super::group::{AsyncExt, AsyncGroup};
use super::watch::AsyncWatcher;
use crate::connection::{Kind, Peer};
use crate::handle::Recoverable;
use crate::origin::{Origin, safe_reopen_flags};
use crate::recovery::Failure;
use crate::sys;

/// A boxed future, as async recovery functions return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What an async recovery function is told: a [`Failure`] (through `Deref`), and
/// async helpers to reopen and reconnect.
#[derive(Debug)]
pub struct AsyncFailure<'a, C>(pub(crate) Failure<'a, C>);

impl<'a, C> Deref for AsyncFailure<'a, C> {
    type Target = Failure<'a, C>;
    fn deref(&self) -> &Failure<'a, C> {
        &self.0
    }
}

fn no_origin(what: &str) -> AttemptError {
    AttemptError::give_up(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("the connection has no {what} to recover from; give the recovery function one"),
    ))
}

impl<C: AsyncFileConnection> AsyncFailure<'_, C> {
    /// Opens the file's path again with safe flags (see
    /// [`Failure::reopen`](crate::Failure::reopen)), on the blocking pool.
    pub async fn reopen(&self) -> Result<C, AttemptError> {
        let Origin::File { path, flags } = self.origin() else {
            return Err(no_origin("path"));
        };
        let fresh = C::reopen(self.dead(), path, safe_reopen_flags(*flags)).await?;
        if let (Some(identity), Some(fd)) = (&self.0.identity, fresh.descriptor()) {
            identity.verify(path, fd).map_err(AttemptError::give_up)?;
        }
        Ok(fresh)
    }

    /// Opens another path with the original's flags, for failover.
    pub async fn reopen_path(&self, path: impl AsRef<Path>) -> Result<C, AttemptError> {
        let Origin::File { flags, .. } = self.origin() else {
            return Err(no_origin("open flags"));
        };
        Ok(C::reopen(self.dead(), path.as_ref(), safe_reopen_flags(*flags)).await?)
    }
}

impl<C: AsyncFileConnection + AsyncSeekConnection> AsyncFailure<'_, C> {
    /// [`reopen`](Self::reopen), then seek to `position`.
    pub async fn reopen_at(&self, position: u64) -> Result<C, AttemptError> {
        let mut fresh = self.reopen().await?;
        std::future::poll_fn(|cx| fresh.poll_seek(cx, SeekFrom::Start(position))).await?;
        Ok(fresh)
    }

    /// [`reopen`](Self::reopen), then seek to where the dead connection was.
    pub async fn reopen_seek(&self) -> Result<C, AttemptError> {
        let position = self.position().ok_or_else(|| {
            AttemptError::give_up(io::Error::other(
                "the dead connection's position is unknown; seek to a position the handle saved instead",
            ))
        })?;
        self.reopen_at(position).await
    }
}

impl<C: AsyncSocketConnection> AsyncFailure<'_, C> {
    /// Connects to the same peer again (bounded by the time left before the deadline).
    pub async fn reconnect(&self) -> Result<C, AttemptError> {
        let Origin::Socket(peer) = self.origin() else {
            return Err(no_origin("peer address"));
        };
        self.reconnect_to(peer).await
    }

    /// Connects to another peer, for failover.
    pub async fn reconnect_to(&self, peer: &Peer) -> Result<C, AttemptError> {
        Ok(C::reconnect(self.dead(), peer, self.remaining()).await?)
    }
}

/// An async recovery function: given the failure and the client's handle, it
/// returns a new connection. Any
/// `FnMut(&AsyncFailure<C>, &mut H) -> BoxFuture<Result<C, AttemptError>>` is one:
///
/// ```no_run
/// # async fn f() -> std::io::Result<()> {
/// use ha_cover::asynchronous::{AsyncCover, AsyncFailure, BoxFuture};
/// use ha_cover::AttemptError;
/// use tokio::io::AsyncWriteExt;
/// use tokio::net::UnixStream;
///
/// fn resubscribe<'a>(failure: &'a AsyncFailure<'a, UnixStream>, _: &'a mut ()) -> BoxFuture<'a, Result<UnixStream, AttemptError>> {
///     Box::pin(async move {
///         let mut fresh = failure.reconnect().await?;
///         fresh.write_all(b"SUBSCRIBE news\n").await?; // the handshake, replayed
///         Ok(fresh)
///     })
/// }
/// let stream = AsyncCover::connect_unix("/run/news.sock", resubscribe, ()).await?;
/// # Ok(()) }
/// ```
pub trait AsyncRecover<C, H>: Send + 'static {
    /// Makes one attempt to restore the connection.
    fn recover<'a>(
        &'a mut self,
        failure: &'a AsyncFailure<'a, C>,
        handle: &'a mut H,
    ) -> BoxFuture<'a, Result<C, AttemptError>>;
}

impl<C, H, F> AsyncRecover<C, H> for F
where
    F: for<'a> FnMut(&'a AsyncFailure<'a, C>, &'a mut H) -> BoxFuture<'a, Result<C, AttemptError>>
        + Send
        + 'static,
{
    fn recover<'a>(
        &'a mut self,
        failure: &'a AsyncFailure<'a, C>,
        handle: &'a mut H,
    ) -> BoxFuture<'a, Result<C, AttemptError>> {
        self(failure, handle)
    }
}

/// Async recovery that reopens the file's path (no seek).
pub fn reopen<'a, C: AsyncFileConnection, H>(
    failure: &'a AsyncFailure<'a, C>,
    _: &'a mut H,
) -> BoxFuture<'a, Result<C, AttemptError>> {
    Box::pin(failure.reopen())
}

/// Async recovery that reopens the file's path and seeks back to where the dead
/// connection was.
pub fn reopen_seek<'a, C: AsyncFileConnection + AsyncSeekConnection, H>(
    failure: &'a AsyncFailure<'a, C>,
    _: &'a mut H,
) -> BoxFuture<'a, Result<C, AttemptError>> {
    Box::pin(failure.reopen_seek())
}

/// Async recovery that reconnects to the same peer.
pub fn reconnect<'a, C: AsyncSocketConnection, H>(
    failure: &'a AsyncFailure<'a, C>,
    _: &'a mut H,
) -> BoxFuture<'a, Result<C, AttemptError>> {
    Box::pin(failure.reconnect())
}

tokio::task_local! {
    /// Set inside recovery tasks: a cover failing there is not recovered again.
    /// Which group's: its address.
    static RECOVERING: usize;
}

/// Whether this task is running a recovery.
pub(crate) fn in_recovery() -> bool {
    RECOVERING.try_with(|_| ()).is_ok()
}

/// Whether this task is running the recovery of group `id`.
pub(crate) fn recovering(id: usize) -> bool {
    RECOVERING.try_with(|group| *group == id).unwrap_or(false)
}

/// Starts the recovery task that drives `recovery` for `group`, on `runtime`.
pub(crate) fn spawn<C: AsyncConnection, H: Recoverable>(
    runtime: &tokio::runtime::Handle,
    group: Arc<AsyncGroup<C, H>>,
    recovery: Recovery,
    cause: Cause,
    dead: C,
) {
    let lease = Lease {
        group,
        recovery: Some(recovery),
        lent: None,
    };
    let id = Arc::as_ptr(&lease.group) as usize;
    runtime.spawn(RECOVERING.scope(id, lease.run(cause, dead)));
}

/// A recovery task's hold on its group: the recovery it drives, and the
/// handle and recovery function while it lends them to the recovery function.
/// Dropped unfinished (its runtime shutting down), it gives them back and ends
/// the recovery as cancelled, so that the group stays usable and the members
/// waiting move on.
struct Lease<C: AsyncConnection, H: Recoverable> {
    group: Arc<AsyncGroup<C, H>>,
    recovery: Option<Recovery>,
    lent: Option<(Box<dyn AsyncRecover<C, H>>, H)>,
}

impl<C: AsyncConnection, H: Recoverable> Lease<C, H> {
    fn with<R>(
        &mut self,
        f: impl FnOnce(&mut Recovery, &mut Group, &mut AsyncExt<C, H>) -> R,
    ) -> R {
        let mut state = self.group.lock();
        let state = &mut *state;
        f(
            self.recovery.as_mut().expect("held until the end"),
            &mut state.group,
            &mut state.ext,
        )
    }

    fn give_back(&mut self) {
        if let Some((recovery, handle)) = self.lent.take() {
            let mut state = self.group.lock();
            state.ext.handle = Some(handle);
            // A recovery function replaced meanwhile (set_recovery) stays.
            state.ext.recovery.get_or_insert(recovery);
        }
    }

    /// Drives the recovery to its end.
    async fn run(mut self, cause: Cause, dead: C) {
        let dead_position = if C::KIND == Kind::File {
            dead.descriptor().and_then(|fd| sys::position(fd).ok())
        } else {
            None
        };
        let (origin, identity) = self.with(|_, _, ext| (ext.origin.clone(), ext.identity));
        let mut watcher: Option<AsyncWatcher> = None;
        let mut fresh: Option<C> = None;
        loop {
            if Arc::strong_count(&self.group) == 1 {
                // Every member is gone, and none can be made again: what the
                // recovery would make serves no one, and with the server away
                // for good it would wait for ever, holding the dead
                // connection. It ends as cancelled (the lease's drop).
                return;
            }
            match self.with(|recovery, group, _| recovery.next(group, Instant::now())) {
                Action::Done => {
                    self.recovery = None;
                    return;
                }
                Action::Watch => {
                    let started = watcher.insert(AsyncWatcher::for_origin(&origin));
                    let what = started.waiting_for();
                    self.with(|recovery, _, _| recovery.watching(what, Instant::now()));
                }
                Action::Wait(delay) => {
                    let woken = match watcher.as_mut() {
                        Some(watcher) => watcher.wait(delay).await,
                        None => false,
                    };
                    self.with(|recovery, _, _| recovery.waited(woken, Instant::now()));
                }
                Action::Attempt(attempt) => {
                    let failure = AsyncFailure(Failure {
                        cause: &cause,
                        attempt: attempt.number,
                        dead: &dead,
                        origin: &origin,
                        position: dead_position,
                        identity,
                        deadline: attempt.deadline,
                        first: false,
                    });
                    let lent =
                        self.with(|_, _, ext| Some((ext.recovery.take()?, ext.handle.take()?)));
                    let (function, handle) =
                        self.lent.insert(lent.expect("one recovery at a time"));
                    let outcome = CatchUnwind(function.recover(&failure, handle)).await;
                    self.give_back();
                    self.with(|recovery, group, _| {
                        let now = Instant::now();
                        match outcome {
                            Ok(Ok(returned)) => {
                                match crate::fresh::place(
                                    C::KIND,
                                    group.is_append(),
                                    dead.descriptor(),
                                    returned.descriptor(),
                                    dead_position,
                                )
                                .map(|restored| (returned, restored))
                                {
                                    Ok((placed, restored)) => {
                                        fresh = Some(placed);
                                        recovery.restored(group, restored, now);
                                    }
                                    Err(e) => {
                                        recovery.attempt_failed(group, AttemptError::retry(e), now)
                                    }
                                }
                            }
                            Ok(Err(error)) => recovery.attempt_failed(group, error, now),
                            Err(message) => recovery.panicked(group, message, now),
                        }
                    });
                }
                Action::Replay => {
                    let bytes = self.with(|_, group, _| {
                        group.ledger().replayable().unwrap_or_default().to_vec()
                    });
                    let conn = fresh.as_mut().expect("restored before replay");
                    let result = write_all(conn, &bytes).await;
                    self.with(|recovery, group, _| {
                        recovery.replayed(group, result, Instant::now())
                    });
                }
                Action::Install => {
                    // Every member moves to it; the task's own hold is not one.
                    let members = Arc::strong_count(&self.group) - 1;
                    let conn = fresh.take().expect("restored before install");
                    if C::KIND == Kind::File && !origin.is_append() {
                        let (dead, fresh) = (dead.descriptor(), conn.descriptor());
                        crate::fresh::follow_seeks(dead, fresh, dead_position);
                    }
                    self.with(|recovery, group, ext| {
                        ext.latest.install(conn, members);
                        if let Some(handle) = ext.handle.as_mut() {
                            handle.on_recovered();
                        }
                        recovery.installed(group, Instant::now());
                    });
                }
            }
        }
    }
}

impl<C: AsyncConnection, H: Recoverable> Drop for Lease<C, H> {
    fn drop(&mut self) {
        self.give_back();
        if let Some(recovery) = self.recovery.take() {
            let mut state = self.group.lock();
            recovery.abandon(&mut state.group, Instant::now());
        }
    }
}

/// Writes all of `bytes` (the replayed ones) to a new connection.
async fn write_all<C: AsyncConnection>(conn: &mut C, mut bytes: &[u8]) -> io::Result<()> {
    while !bytes.is_empty() {
        match std::future::poll_fn(|cx| conn.poll_write(cx, bytes)).await {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// A recovery function's future, with a panic in it caught (as the sync
/// cover catches one) so that the recovery gives up and the group stays usable.
struct CatchUnwind<F>(F);

impl<F: Future + Unpin> Future for CatchUnwind<F> {
    type Output = Result<F::Output, String>;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        let inner = &mut self.0;
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| Pin::new(inner).poll(cx))) {
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Ok(std::task::Poll::Ready(out)) => std::task::Poll::Ready(Ok(out)),
            Err(payload) => std::task::Poll::Ready(Err(crate::driver::panic_message(&*payload))),
        }
    }
}
