//! The sync front end's cold path: after an operation failed (or before one,
//! when a recovery happened since the member's last), follow the engine's
//! protocol: move to a new connection, wait for another member's recovery, or
//! drive one. Blocking lives here; every decision is the engine's.

use std::any::Any;
use std::cell::RefCell;
use std::os::fd::AsRawFd;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Instant;

use ha_cover_engine::{
    Action, AttemptError, Cause, Failed, Group, Kind, Member, Next, OpInfo, Recovery, Role, Shared,
};

use crate::connection::Connection;
use crate::fresh;
use crate::group::{Ext, Sole, SoleCell, sole_lock};
use crate::handle::Recoverable;
use crate::recovery::Failure;
use crate::sys;
use crate::wait::Watcher;

thread_local! {
    /// The groups whose recovery function this thread is running. A failure while
    /// it runs is not recovered again (QNX: no recursion from inside a recovery).
    static RECOVERING: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// Whether this thread is running the recovery function of group `id`.
pub(crate) fn is_recovering(id: usize) -> bool {
    RECOVERING.with(|r| r.borrow().contains(&id))
}

fn in_any_recovery() -> bool {
    RECOVERING.with(|r| !r.borrow().is_empty())
}

/// Runs `f` as the recovery function of group `id`, catching a panic.
fn as_recovery<T>(id: usize, f: impl FnOnce() -> T) -> Result<T, Box<dyn Any + Send>> {
    RECOVERING.with(|r| r.borrow_mut().push(id));
    let result = catch_unwind(AssertUnwindSafe(f));
    RECOVERING.with(|r| r.borrow_mut().pop());
    result
}

/// The text of a panic's payload.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

/// How the driver reaches a group: owned by a sole cover, or behind the lock.
pub(crate) trait Access<C: Connection, H: Recoverable> {
    fn with<R>(&mut self, f: impl FnOnce(&mut Group, &mut Ext<C, H>) -> R) -> R;

    /// Calls the recovery function with the client's handle.
    fn recover(&mut self, failure: &Failure<'_, C>) -> Result<Result<C, AttemptError>, String>;

    /// Blocks until the cycle in flight when the member saw epoch `seen` ends.
    fn wait(&mut self, seen: u64);

    /// How many members the group has.
    fn members(&self) -> usize;

    /// Which group this is, for the recursion check.
    fn id(&self) -> usize;
}

impl<C: Connection, H: Recoverable> Access<C, H> for &mut Sole<C, H> {
    fn with<R>(&mut self, f: impl FnOnce(&mut Group, &mut Ext<C, H>) -> R) -> R {
        let result = f(&mut self.group, &mut self.ext);
        self.group.take_events().deliver();
        result
    }

    fn recover(&mut self, failure: &Failure<'_, C>) -> Result<Result<C, AttemptError>, String> {
        let id = self.id();
        let ext = &mut self.ext;
        let (Some(recovery), Some(handle)) = (ext.recovery.as_mut(), ext.handle.as_mut()) else {
            unreachable!("a sole cover lends its handle to no one")
        };
        as_recovery(id, || recovery.recover(failure, handle)).map_err(|p| panic_message(&*p))
    }

    fn wait(&mut self, _: u64) {
        unreachable!("a sole cover is the only one to recover")
    }

    fn members(&self) -> usize {
        1
    }

    fn id(&self) -> usize {
        std::ptr::from_ref::<Sole<C, H>>(self) as usize
    }
}

/// A sole group reached through `&self` (a call through `&Cover` that
/// recovers): locked for each step only, and the recovery function and the
/// handle lent for its call, so that the controls (`stats`, `suspend`), the
/// handle and other threads' calls are not held up for the whole recovery.
impl<C: Connection, H: Recoverable> Access<C, H> for &SoleCell<C, H> {
    fn with<R>(&mut self, f: impl FnOnce(&mut Group, &mut Ext<C, H>) -> R) -> R {
        let mut guard = sole_lock(self);
        let state = &mut *guard;
        let result = f(&mut state.group, &mut state.ext);
        let events = state.group.take_events();
        drop(guard);
        events.deliver();
        result
    }

    fn recover(&mut self, failure: &Failure<'_, C>) -> Result<Result<C, AttemptError>, String> {
        let (mut recovery, mut handle) = self.with(|_, ext| {
            (
                ext.recovery.take().expect("one recovery at a time"),
                ext.handle.take().expect("one recovery at a time"),
            )
        });
        let result = as_recovery(self.id(), || recovery.recover(failure, &mut handle));
        self.with(|_, ext| {
            ext.handle = Some(handle);
            // A recovery function replaced meanwhile (set_recovery) stays.
            ext.recovery.get_or_insert(recovery);
        });
        result.map_err(|p| panic_message(&*p))
    }

    fn wait(&mut self, _: u64) {
        unreachable!("a sole cover's calls through &self settle one at a time")
    }

    fn members(&self) -> usize {
        1
    }

    fn id(&self) -> usize {
        // The same as through `&mut Sole`: where the group lives.
        std::ptr::from_ref::<Sole<C, H>>(&sole_lock(self)) as usize
    }
}

impl<C: Connection, H: Recoverable> Access<C, H> for &Arc<Shared<Ext<C, H>>> {
    fn with<R>(&mut self, f: impl FnOnce(&mut Group, &mut Ext<C, H>) -> R) -> R {
        let mut guard = self.lock();
        let inner = &mut *guard;
        f(&mut inner.group, &mut inner.ext)
    }

    fn recover(&mut self, failure: &Failure<'_, C>) -> Result<Result<C, AttemptError>, String> {
        // Lent for the call, so that no lock is held while user code runs.
        let (mut recovery, mut handle) = self.with(|_, ext| {
            (
                ext.recovery.take().expect("one recovery at a time"),
                ext.handle.take().expect("one recovery at a time"),
            )
        });
        let result = as_recovery(self.id(), || recovery.recover(failure, &mut handle));
        self.with(|_, ext| {
            ext.handle = Some(handle);
            // A recovery function replaced meanwhile (set_recovery) stays.
            ext.recovery.get_or_insert(recovery);
        });
        result.map_err(|p| panic_message(&*p))
    }

    fn wait(&mut self, seen: u64) {
        drop(self.lock().wait_for_end(seen));
    }

    fn members(&self) -> usize {
        Arc::strong_count(self)
    }

    fn id(&self) -> usize {
        Arc::as_ptr(self) as usize
    }
}

/// One member's part in the protocol.
pub(crate) struct Settle<'a, C> {
    pub conn: &'a mut C,
    pub member: &'a mut Member,
    /// The connection this member left for a new one, closed by the caller
    /// once the operation has run again: closing the last descriptor on a dead
    /// FUSE mount frees the whole mount, which takes longer than the operation.
    pub retired: Option<C>,
}

impl<C: Connection> Settle<'_, C> {
    /// Settles operation `op`: `cause` is its failure, or `None` when it has
    /// not run yet and only the catching up is wanted. `retransmission` says
    /// the operation was being sent again after a recovery.
    pub fn settle<H: Recoverable>(
        &mut self,
        access: &mut impl Access<C, H>,
        op: OpInfo,
        mut cause: Option<Cause>,
        retransmission: bool,
    ) -> Next {
        loop {
            let role = access.with(|group, _| {
                let failed = cause.as_ref().map(|cause| Failed {
                    op,
                    cause,
                    retransmission,
                    inside_recovery: in_any_recovery(),
                    descriptor: self.conn.descriptor().map(|fd| fd.as_raw_fd()),
                });
                group.settle(self.member, failed, Instant::now())
            });
            match role {
                Role::Run => return Next::Resend,
                Role::Move => {
                    let moved = access.with(|_, ext| ext.latest.take(C::try_dup));
                    return match moved {
                        Ok(own) => {
                            self.retired = Some(std::mem::replace(self.conn, own));
                            access.with(|group, _| group.decide(self.member, op, cause.take()))
                        }
                        Err(e) => Next::Fail(e),
                    };
                }
                Role::Wait => access.wait(self.member.seen_epoch()),
                Role::Recover(recovery) => {
                    let dead = cause.as_ref().expect("only a failure recovers");
                    drive(access, &*self.conn, recovery, dead);
                }
                Role::Unrecovered(reason) => {
                    let cause = cause.take().expect("only a failure is unrecovered");
                    return access.with(|group, _| group.unrecovered(cause, reason));
                }
            }
        }
    }
}

/// Drives one recovery to its end.
fn drive<C: Connection, H: Recoverable>(
    access: &mut impl Access<C, H>,
    dead: &C,
    mut recovery: Recovery,
    cause: &Cause,
) {
    // The kernel keeps a file's position even when its server is gone; it is
    // where the retransmitted operation must happen.
    let dead_position = if C::KIND == Kind::File {
        dead.descriptor().and_then(|fd| sys::position(fd).ok())
    } else {
        None
    };
    let (origin, identity) = access.with(|_, ext| (ext.origin.clone(), ext.identity));
    let mut watcher: Option<Watcher> = None;
    let mut fresh: Option<C> = None;
    loop {
        match access.with(|group, _| recovery.next(group, Instant::now())) {
            Action::Done => return,
            Action::Watch => {
                let started = watcher.insert(Watcher::for_origin(&origin));
                recovery.watching(started.waiting_for(), Instant::now());
            }
            Action::Wait(delay) => {
                let woken = watcher.as_mut().is_some_and(|w| w.wait(delay));
                recovery.waited(woken, Instant::now());
            }
            Action::Attempt(attempt) => {
                let failure = Failure {
                    cause,
                    attempt: attempt.number,
                    dead,
                    origin: &origin,
                    position: dead_position,
                    identity,
                    deadline: attempt.deadline,
                    first: false,
                };
                let outcome = access.recover(&failure);
                access.with(|group, _| {
                    let now = Instant::now();
                    match outcome {
                        Ok(Ok(returned)) => match fresh::place(
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
                            Err(e) => recovery.attempt_failed(group, AttemptError::retry(e), now),
                        },
                        Ok(Err(error)) => recovery.attempt_failed(group, error, now),
                        Err(message) => recovery.panicked(group, message, now),
                    }
                });
            }
            Action::Replay => {
                let (bytes, writer) = access.with(|group, ext| {
                    let bytes = group.ledger().replayable().unwrap_or_default().to_vec();
                    (bytes, ext.replay_writer)
                });
                let conn = fresh.as_mut().expect("restored before replay");
                let result = match writer {
                    Some(write_all) => write_all(conn, &bytes),
                    None => Ok(()),
                };
                access.with(|group, _| recovery.replayed(group, result, Instant::now()));
            }
            Action::Install => {
                let members = access.members();
                let conn = fresh.take().expect("restored before install");
                if C::KIND == Kind::File && !origin.is_append() {
                    fresh::follow_seeks(dead.descriptor(), conn.descriptor(), dead_position);
                }
                access.with(|group, ext| {
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
