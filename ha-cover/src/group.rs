//! The state a connection shares with its dups (QNX's reference-counted entry),
//! and each member's own view of it.

use std::io;
use std::os::fd::BorrowedFd;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, TryLockError};

use crate::connection::{Connection, Kind};
use crate::event::{EventSink, Stats};
use crate::ledger::Ledger;
use crate::origin::{Identity, Origin};
use crate::policy::Policy;
use crate::recovery::{Cause, Recover};
use crate::schedule::{BackoffState, Counters};
use crate::triggers::Triggers;
use crate::{ops::Operation, sys};

/// Everything one recovery serves: the handle, the recovery function, policies,
/// counters, and the connection the latest recovery made.
pub(crate) struct GroupState<C, H> {
    pub handle: H,
    pub recovery: Box<dyn Recover<C, H>>,
    pub policy: Policy,
    pub classifier: Classifier,
    pub origin: Origin,
    pub identity: Option<Identity>,
    pub counters: Counters,
    pub backoff: BackoffState,
    pub stats: Stats,
    pub sink: Option<EventSink>,
    /// Successful recoveries so far: the generation of the current connection.
    pub generation: u64,
    /// Recovery cycles ended so far, successful or not.
    pub epoch: u64,
    /// The connection the latest recovery made, for members that have not moved
    /// to it yet. Kept only once the group has dups.
    pub latest: Option<C>,
    /// How many members have still to move to `latest`; it is closed when the
    /// last has.
    pub behind: usize,
    /// Whether the latest recovery put the connection back at the dead one's
    /// position (so a failed sequential write may be sent again).
    pub position_kept: bool,
}

/// A group with more than one member. The epoch is readable without the lock so a
/// member can tell, with one load, that another member recovered.
pub(crate) struct Shared<C, H> {
    pub epoch: AtomicU64,
    pub classifier: Classifier,
    pub state: Mutex<GroupState<C, H>>,
}

/// A cover's link to its group: owned outright until the first dup, so a cover
/// that is never dup'ed takes no lock and touches no atomic.
pub(crate) enum Membership<C, H> {
    Sole(Box<GroupState<C, H>>),
    Shared(Arc<Shared<C, H>>),
    /// Only while `dup` moves a sole group behind the lock.
    Transition,
}

impl<C, H> Shared<C, H> {
    pub fn new(state: GroupState<C, H>) -> Self {
        Self {
            epoch: AtomicU64::new(state.epoch),
            classifier: state.classifier,
            state: Mutex::new(state),
        }
    }

    pub fn id(&self) -> usize {
        self as *const Self as usize
    }

    /// Locks the group. A recovery function that uses a cover of its own group
    /// would wait for itself forever; it gets an error instead.
    pub fn lock(&self) -> io::Result<MutexGuard<'_, GroupState<C, H>>> {
        if crate::driver::is_recovering(self.id()) {
            return match self.state.try_lock() {
                Ok(guard) => Ok(guard),
                Err(TryLockError::Poisoned(poisoned)) => Ok(poisoned.into_inner()),
                Err(TryLockError::WouldBlock) => Err(io::Error::new(
                    io::ErrorKind::Deadlock,
                    "a cover was used inside the recovery function of its own connection group; use the failure's connection instead",
                )),
            };
        }
        // A recovery function that panicked leaves the state consistent (each
        // field is updated whole), so a poisoned lock is still usable.
        Ok(self.state.lock().unwrap_or_else(PoisonError::into_inner))
    }

    #[inline]
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    pub fn publish_epoch(&self, epoch: u64) {
        self.epoch.store(epoch, Ordering::Release);
    }
}

/// One member's own state: which connection generation its descriptor is on,
/// which recovery cycles it has seen, and what it sent unanswered (sockets).
pub(crate) struct Member<C> {
    pub generation: u64,
    pub seen_epoch: u64,
    pub ledger: Ledger,
    /// How to send replayed bytes. Set by the first write, which is the only way
    /// bytes get into the ledger, so it is always set when there is something to
    /// replay (the cover loop itself only knows `C: Connection`).
    pub replay_writer: Option<ReplayWriter<C>>,
}

/// Writes all of a buffer to a connection.
pub(crate) type ReplayWriter<C> = fn(&mut C, &[u8]) -> io::Result<()>;

impl<C> Member<C> {
    pub fn fresh_like(&self) -> Self {
        Self {
            generation: self.generation,
            seen_epoch: self.seen_epoch,
            ledger: self.ledger.fresh_like(),
            replay_writer: self.replay_writer,
        }
    }
}

/// The part of the policy the path with no failure needs to classify a result;
/// fixed when the cover is made, so dups read it without the lock.
#[derive(Clone, Copy, Debug)]
#[doc(hidden)]
pub struct Classifier {
    pub triggers: Triggers,
    pub eof_is_failure: bool,
}

pub(crate) enum Classified<T> {
    Done(T),
    Again,
    Pass(io::Error),
    Failed(Cause),
}

impl Classifier {
    pub fn for_policy(kind: Kind, policy: &Policy) -> Self {
        Self {
            triggers: policy.triggers.unwrap_or(Triggers::for_kind(kind)),
            // A file's end is the end of its data, whatever the policy says:
            // recovering from it would reopen, read EOF again, and loop.
            eof_is_failure: kind == Kind::Socket && policy.eof_is_failure.unwrap_or(true),
        }
    }

    pub(crate) fn classify<C: Connection, O: Operation<C>>(
        &self,
        op: &O,
        result: io::Result<O::Output>,
        conn: &C,
    ) -> Classified<O::Output> {
        self.classify_result(
            result,
            |out| op.is_eof(out),
            O::KIND,
            C::KIND,
            conn.descriptor(),
        )
    }

    /// What a result means, whatever the connection: the sync and async covers
    /// both decide here.
    pub(crate) fn classify_result<T>(
        &self,
        result: io::Result<T>,
        is_eof: impl FnOnce(&T) -> bool,
        op: crate::retransmit::OpKind,
        kind: Kind,
        fd: Option<BorrowedFd<'_>>,
    ) -> Classified<T> {
        match result {
            Ok(out) if self.eof_is_failure && is_eof(&out) => Classified::Failed(Cause::Eof),
            Ok(out) => Classified::Done(out),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Classified::Again,
            Err(e) => match e.raw_os_error() {
                Some(errno) if self.is_failure(kind, op, errno, fd) => {
                    Classified::Failed(Cause::Error(e))
                }
                _ => Classified::Pass(e),
            },
        }
    }

    /// Whether an operation of kind `op` on a connection of kind `kind` that
    /// failed with `errno` means the server died. `fd` is the connection's
    /// descriptor, when it has one.
    pub fn is_failure(
        &self,
        kind: Kind,
        op: crate::retransmit::OpKind,
        errno: i32,
        fd: Option<BorrowedFd<'_>>,
    ) -> bool {
        if self.triggers.contains(errno) {
            return !fd.is_some_and(|fd| wrong_access(errno, op, fd));
        }
        errno == libc::EIO && kind == Kind::File && fd.is_some_and(|fd| self.server_is_dead(fd))
    }

    /// `EIO` is a disk's media error, but also what a FUSE request that was
    /// half answered when its daemon died gets. Asking the server something
    /// (`fstatfs` always reaches a FUSE daemon) tells the two apart: a dead
    /// server answers with a trigger error, a live one answers.
    fn server_is_dead(&self, fd: BorrowedFd<'_>) -> bool {
        match sys::probe_server(fd) {
            Ok(()) => false,
            Err(e) => e
                .raw_os_error()
                .is_some_and(|errno| self.triggers.contains(errno)),
        }
    }
}

/// `EBADF` also means "not open for this": a write on a read-only file. That is the
/// caller's mistake, which no reopen can fix, so it is not a server death.
fn wrong_access(errno: i32, kind: crate::retransmit::OpKind, fd: BorrowedFd<'_>) -> bool {
    if errno != libc::EBADF {
        return false;
    }
    match sys::status_flags(fd) {
        Ok(flags) => {
            let access = flags & libc::O_ACCMODE;
            (kind.writes() && access == libc::O_RDONLY)
                || (kind.reads() && access == libc::O_WRONLY)
                || flags & libc::O_PATH != 0
        }
        // The descriptor itself is gone: that is a dead connection.
        Err(_) => false,
    }
}

/// Counts one more member moved to the latest recovery's connection: the last
/// to move closes the group's copy, so that after any number of recoveries the
/// group holds no descriptor of its own.
pub(crate) fn one_member_moved<C: Send + 'static>(behind: &mut usize, latest: &mut Option<C>) {
    *behind = behind.saturating_sub(1);
    if *behind == 0
        && let Some(copy) = latest.take()
    {
        crate::reaper::close_later(copy);
    }
}
