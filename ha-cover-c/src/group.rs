//! A descriptor's group: the state an HA-aware descriptor shares with its
//! `ha_dup`s (QNX's reference-counted entry), and each member.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use ha_cover_rt::engine::{BackoffState, Classifier, Counters, FileFacts, Ledger, Policy};
use ha_cover_rt::{Kind, Origin, Stats, WritePolicy};
use libc::{c_int, c_void};

/// One HA-aware descriptor number.
#[derive(Debug)]
pub(crate) struct Member {
    pub fd: c_int,
    pub group: Arc<Group>,
}

/// Everything one recovery serves.
#[derive(Debug)]
pub(crate) struct Group {
    pub kind: Kind,
    pub classifier: Classifier,
    /// The file was opened `O_APPEND`: a failed write is resent only when the
    /// size shows it did not land.
    pub append: bool,
    pub origin: Origin,
    pub write_policy: WritePolicy,
    /// Recovery cycles ended, successful or not. An operation reads it before
    /// it starts, so that after a failure it can tell whether a recovery
    /// happened meanwhile (and resend rather than recover again).
    epoch: AtomicU64,
    /// Held for a whole recovery, so there is one at a time: threads that fail
    /// meanwhile wait here, then find the epoch moved on.
    pub flight: Mutex<Flight>,
    /// What `ha_attach` and `ha_connection_ctrl` change. Held briefly, never
    /// while the recovery function runs, which may call them.
    pub control: Mutex<Control>,
    /// The descriptor numbers of the group, for `ha_reopen` to re-point.
    /// Entries may outlive a member closed behind the library's back; users
    /// check the table.
    pub members: Mutex<Vec<c_int>>,
    /// What a socket sent that its server has not answered (unused for files).
    pub ledger: Mutex<Ledger>,
}

/// What the recovery in flight leaves for the threads that catch up with it.
#[derive(Debug, Default)]
pub(crate) struct Flight {
    /// The epoch the latest successful recovery ended.
    pub last_success_epoch: u64,
    /// What it found about the file.
    pub latest: FileFacts,
}

/// The recovery function, its handle, the limits and what recovery did.
#[derive(Debug)]
pub(crate) struct Control {
    pub recovery: RecoveryFn,
    pub policy: Policy,
    pub counters: Counters,
    pub backoff: BackoffState,
    pub stats: Stats,
}

/// A C recovery function and its handle.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RecoveryFn {
    pub func: unsafe extern "C" fn(c_int, *mut c_void) -> c_int,
    pub handle: Handle,
}

/// The caller's opaque handle.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Handle(pub *mut c_void);

// SAFETY: the library only passes the handle back to the caller's recovery
// function, which QNX's API already calls on whichever thread failed.
unsafe impl Send for Handle {}

impl Group {
    pub fn new(
        kind: Kind,
        origin: Origin,
        append: bool,
        write_policy: WritePolicy,
        recovery: RecoveryFn,
    ) -> Self {
        let policy = Policy {
            write_policy,
            ..Policy::default()
        };
        Self {
            kind,
            classifier: Classifier::for_policy(kind, &policy),
            append,
            origin,
            write_policy,
            epoch: AtomicU64::new(0),
            flight: Mutex::new(Flight::default()),
            ledger: Mutex::new(Ledger::new(
                kind == Kind::Socket,
                write_policy,
                policy.replay_capacity,
            )),
            control: Mutex::new(Control {
                recovery,
                policy,
                counters: Counters::default(),
                backoff: BackoffState::new(),
                stats: Stats::default(),
            }),
            members: Mutex::new(Vec::new()),
        }
    }

    /// The epoch, read when an operation starts.
    #[inline]
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Ends a recovery cycle; the caller holds the flight lock (`_flight`
    /// proves it). Returns the new epoch.
    pub fn end_cycle(&self, _flight: &mut Flight) -> u64 {
        self.epoch.fetch_add(1, Ordering::AcqRel) + 1
    }
}

/// Locks `mutex`, poisoned or not: every field is updated whole, and a panic
/// in this library aborts the process anyway (the C ABI cannot unwind).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    unsafe extern "C" fn never(_: c_int, _: *mut c_void) -> c_int {
        -1
    }

    /// A member of a group of its own, for tests that need one.
    pub(crate) fn member_for_tests(fd: c_int) -> Arc<Member> {
        let recovery = RecoveryFn {
            func: never,
            handle: Handle(std::ptr::null_mut()),
        };
        let group = Group::new(
            Kind::File,
            Origin::Unknown,
            false,
            WritePolicy::Never,
            recovery,
        );
        Arc::new(Member {
            fd,
            group: Arc::new(group),
        })
    }
}
