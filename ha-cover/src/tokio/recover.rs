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
use super::group::AsyncGroup;
use super::watch::AsyncWatcher;
use crate::connection::{Kind, Peer};
use crate::error::{AttemptError, RecoveryError};
use crate::event::{Event, emit};
use crate::handle::Recoverable;
use crate::origin::{Origin, safe_reopen_flags};
use crate::recovery::{Cause, Failure};
use crate::schedule::{Cycle, Step};
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
/// use ha_cover::tokio::{AsyncCover, AsyncFailure, BoxFuture};
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
    static RECOVERING: ();
}

/// Whether this task is running a recovery.
pub(crate) fn in_recovery() -> bool {
    RECOVERING.try_with(|()| ()).is_ok()
}

/// Makes an owned copy of what revealed a failure, for the recovery task (the
/// member keeps the original to return if the recovery gives up).
pub(crate) fn copy_cause(cause: &Cause) -> Cause {
    match cause {
        Cause::Eof => Cause::Eof,
        Cause::Error(e) => Cause::Error(match e.raw_os_error() {
            Some(errno) => io::Error::from_raw_os_error(errno),
            None => io::Error::new(e.kind(), e.to_string()),
        }),
    }
}

/// Starts the recovery task of `group`, which must not have one running.
pub(crate) fn spawn<C: AsyncConnection, H: Recoverable>(
    group: Arc<AsyncGroup<C, H>>,
    cause: Cause,
    dead: C,
) -> io::Result<()> {
    let runtime = tokio::runtime::Handle::try_current().map_err(|_| {
        io::Error::other("an async cover recovers on a tokio runtime, and none is running here")
    })?;
    runtime.spawn(RECOVERING.scope((), run_cycle(group, cause, dead)));
    Ok(())
}

/// The handle and recovery function, taken from the group while a recovery
/// task runs. Dropped unfinished (the runtime shutting down), it puts them
/// back and ends the cycle, so that the group stays usable and the members
/// waiting move on.
struct Lease<C: AsyncConnection, H: Recoverable> {
    group: Arc<AsyncGroup<C, H>>,
    handle: Option<H>,
    recovery: Option<Box<dyn AsyncRecover<C, H>>>,
    ended: bool,
}

impl<C: AsyncConnection, H: Recoverable> Lease<C, H> {
    fn take(group: Arc<AsyncGroup<C, H>>) -> Option<Self> {
        let (handle, recovery) = {
            let mut state = group.lock();
            (state.handle.take()?, state.recovery.take()?)
        };
        Some(Self {
            group,
            handle: Some(handle),
            recovery: Some(recovery),
            ended: false,
        })
    }

    fn give_up(mut self, reason: RecoveryError, began: Instant) {
        let reason = Arc::new(reason);
        let mut state = self.group.lock();
        state.stats.gave_up += 1;
        state.stats.disconnected += began.elapsed();
        state.stats.last_give_up = Some(Arc::clone(&reason));
        emit(state.sink.as_ref(), Event::GaveUp { reason: &reason });
        state.handle = self.handle.take();
        state.recovery = self.recovery.take();
        self.group.end_cycle(&mut state);
        self.ended = true;
    }
}

impl<C: AsyncConnection, H: Recoverable> Drop for Lease<C, H> {
    fn drop(&mut self) {
        let mut state = self.group.lock();
        if let Some(handle) = self.handle.take() {
            state.handle = Some(handle);
        }
        if let Some(recovery) = self.recovery.take() {
            state.recovery = Some(recovery);
        }
        if !self.ended {
            state.stats.last_give_up = Some(Arc::new(RecoveryError::Cancelled));
            self.group.end_cycle(&mut state);
        }
    }
}

/// One recovery cycle for the group, as a task of its own.
async fn run_cycle<C: AsyncConnection, H: Recoverable>(
    group: Arc<AsyncGroup<C, H>>,
    cause: Cause,
    dead: C,
) {
    let Some(mut lease) = Lease::take(Arc::clone(&group)) else {
        // Only a lease dropped without its parts could get here; end the cycle so
        // the members do not wait forever.
        let mut state = group.lock();
        group.end_cycle(&mut state);
        return;
    };
    let began = Instant::now();
    let dead_position = if C::KIND == Kind::File {
        dead.descriptor().and_then(|fd| sys::position(fd).ok())
    } else {
        None
    };
    let (origin, identity, begun) = {
        let mut state = group.lock();
        let state = &mut *state;
        state.stats.failures += 1;
        state.stats.last_errno = cause.errno();
        emit(state.sink.as_ref(), Event::Failed { cause: &cause });
        let cycle = Cycle::begin(&state.policy, &state.counters, &mut state.backoff, began);
        (state.origin.clone(), state.identity, cycle)
    };
    let mut cycle = match begun {
        Ok(cycle) => cycle,
        Err(reason) => return lease.give_up(reason, began),
    };
    let mut watcher: Option<AsyncWatcher> = None;
    loop {
        let step = {
            let state = group.lock();
            cycle.step(&state.policy, &state.counters, Instant::now())
        };
        match step {
            Step::Wait(delay) => match &mut watcher {
                Some(watcher) => {
                    if watcher.wait(delay).await {
                        cycle.nudge(Instant::now());
                    }
                }
                None => {
                    let started = watcher.insert(AsyncWatcher::for_origin(&origin));
                    if started.sees_changes() && cycle.attempts() > 0 {
                        cycle.retry_now(Instant::now());
                    } else if started.wait(delay).await {
                        cycle.nudge(Instant::now());
                    }
                }
            },
            Step::GiveUp(reason) => return lease.give_up(reason, began),
            Step::Attempt => {
                group.lock().stats.attempts += 1;
                let failure = AsyncFailure(Failure {
                    cause: &cause,
                    attempt: cycle.attempts() + 1,
                    dead: &dead,
                    origin: &origin,
                    position: dead_position,
                    identity,
                    deadline: cycle.deadline(),
                });
                let (recovery, handle) = (
                    lease.recovery.as_mut().expect("held for the cycle"),
                    lease.handle.as_mut().expect("held for the cycle"),
                );
                let attempt = recovery.recover(&failure, handle).await;
                let outcome = attempt
                    .map_err(|e| (e.give_up, e.error))
                    .and_then(|fresh| place(&origin, fresh, dead_position).map_err(|e| (false, e)));
                match outcome {
                    Ok((fresh, position_kept)) => {
                        let mut state = group.lock();
                        let state = &mut *state;
                        let now = Instant::now();
                        cycle.succeeded(&mut state.counters, &mut state.backoff, now);
                        state.stats.recoveries += 1;
                        state.stats.disconnected += now - began;
                        // Every member, the one that failed too, moves to a
                        // duplicate of it on its next operation.
                        state.behind = state.members;
                        if let Some(previous) = state.latest.replace(fresh) {
                            crate::reaper::close_later(previous);
                        }
                        state.position_kept = position_kept;
                        state.generation += 1;
                        let mut handle = lease.handle.take().expect("held for the cycle");
                        handle.on_recovered();
                        state.handle = Some(handle);
                        state.recovery = lease.recovery.take();
                        emit(
                            state.sink.as_ref(),
                            Event::Recovered {
                                attempts: cycle.attempts(),
                                downtime: now - began,
                            },
                        );
                        group.end_cycle(state);
                        lease.ended = true;
                        return;
                    }
                    Err((true, error)) => {
                        return lease.give_up(RecoveryError::GaveUp(error), began);
                    }
                    Err((false, error)) => {
                        let mut state = group.lock();
                        let state = &mut *state;
                        emit(
                            state.sink.as_ref(),
                            Event::AttemptFailed {
                                number: cycle.attempts() + 1,
                                error: &error,
                            },
                        );
                        cycle.attempt_failed(
                            error,
                            &state.policy,
                            &mut state.counters,
                            &mut state.backoff,
                            Instant::now(),
                        );
                    }
                }
            }
        }
    }
}

/// Positions a fresh file where it must be (an append-mode file at its end) and
/// says whether it is where the dead one was.
fn place<C: AsyncConnection>(
    origin: &Origin,
    fresh: C,
    dead_position: Option<u64>,
) -> io::Result<(C, bool)> {
    let mut kept = false;
    if C::KIND == Kind::File
        && let Some(fd) = fresh.descriptor()
    {
        if origin.is_append() {
            sys::seek_to_end(fd)?;
        } else {
            kept = dead_position.is_some() && sys::position(fd).ok() == dead_position;
        }
    }
    Ok((fresh, kept))
}
