//! The state an async connection shares with its dups, and each member's view.
//!
//! Unlike the sync cover, every async cover keeps its group behind an `Arc` and
//! a (never contended on the path with no failure) `std` mutex, and a recovery
//! runs as its own task: a member whose future is dropped in the middle of a
//! recovery does not take the recovery with it, and every member, the one that
//! failed first included, moves to the new connection by the same path.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::watch;

use super::ops::OpIdentity;
use super::recover::AsyncRecover;
use crate::event::{EventSink, Stats};
use crate::group::Classifier;
use crate::ledger::Ledger;
use crate::origin::{Identity, Origin};
use crate::policy::Policy;
use crate::recovery::Cause;
use crate::schedule::{BackoffState, Counters};

pub(crate) struct AsyncState<C, H> {
    /// The client's handle; `None` while a recovery task holds it.
    pub handle: Option<H>,
    /// The recovery function; `None` while a recovery task holds it.
    pub recovery: Option<Box<dyn AsyncRecover<C, H>>>,
    pub policy: Policy,
    pub origin: Origin,
    pub identity: Option<Identity>,
    pub counters: Counters,
    pub backoff: BackoffState,
    pub stats: Stats,
    pub sink: Option<EventSink>,
    pub generation: u64,
    pub epoch: u64,
    /// The connection the latest recovery made; members move to a duplicate.
    pub latest: Option<C>,
    /// Members made so far (constructed or dup'ed; a dropped member is not
    /// subtracted, which only keeps `latest` open until the next recovery).
    pub members: usize,
    /// How many members have still to move to `latest`; it is closed when the
    /// last has.
    pub behind: usize,
    pub position_kept: bool,
    /// A recovery task is running.
    pub running: bool,
}

pub(crate) struct AsyncGroup<C, H> {
    /// Recovery cycles ended; readable without the lock.
    pub epoch: AtomicU64,
    /// The same, for members waiting for a recovery to end.
    pub ended: watch::Sender<u64>,
    pub classifier: Classifier,
    pub state: Mutex<AsyncState<C, H>>,
}

impl<C, H> AsyncGroup<C, H> {
    pub fn new(state: AsyncState<C, H>, classifier: Classifier) -> Arc<Self> {
        let (ended, _) = watch::channel(state.epoch);
        Arc::new(Self {
            epoch: AtomicU64::new(state.epoch),
            ended,
            classifier,
            state: Mutex::new(state),
        })
    }

    /// Never held across an await or a system call that can block, so it can be
    /// taken on tokio's worker threads.
    pub fn lock(&self) -> MutexGuard<'_, AsyncState<C, H>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    #[inline]
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Ends a recovery cycle (successful or not) and wakes the members waiting.
    pub fn end_cycle(&self, state: &mut AsyncState<C, H>) {
        state.epoch += 1;
        state.running = false;
        self.epoch.store(state.epoch, Ordering::Release);
        self.ended.send_replace(state.epoch);
    }
}

/// One member's own state.
pub(crate) struct AsyncMember<C> {
    pub generation: u64,
    pub seen_epoch: u64,
    pub ledger: Ledger,
    pub replay_writer: Option<ReplayFn<C>>,
    /// Bytes being sent again on a new connection, and how many are sent.
    pub replaying: Option<(Vec<u8>, usize)>,
    /// The failure of the operation in progress, and which call that is, while
    /// it waits for a recovery; its error is the caller's if the recovery gives
    /// up.
    pub failed: Option<(Cause, OpIdentity)>,
    /// Waiting for the group's recovery to end.
    pub waiting: Option<std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>>,
    /// The connection this member left for a new one, closed once the
    /// operation has run again.
    pub retired: Option<C>,
}

/// Writes replayed bytes: set by the first write, as in the sync cover.
pub(crate) type ReplayFn<C> =
    fn(&mut C, &mut std::task::Context<'_>, &[u8]) -> std::task::Poll<std::io::Result<usize>>;

impl<C> AsyncMember<C> {
    pub fn new(ledger: Ledger, epoch: u64, generation: u64) -> Self {
        Self {
            generation,
            seen_epoch: epoch,
            ledger,
            replay_writer: None,
            replaying: None,
            failed: None,
            waiting: None,
            retired: None,
        }
    }

    /// Whether the operation polled now (`id`, when a failure is pending) is
    /// the one that failed, polled again, rather than a new call made after the
    /// failed one's future was dropped. The failure of an abandoned call is
    /// forgotten: its caller gave up knowing its fate, and crediting what it
    /// may have written to the new call would lose the new call's bytes.
    pub fn is_retransmission(&mut self, id: Option<OpIdentity>) -> bool {
        match (&self.failed, id) {
            (Some((_, failed)), Some(id)) if *failed == id => true,
            _ => {
                self.failed = None;
                false
            }
        }
    }

    /// Whether the member has something to finish before its next operation
    /// can run on the path with no failure.
    #[inline]
    pub fn unsettled(&self) -> bool {
        self.waiting.is_some() || self.replaying.is_some() || self.retired.is_some()
    }

    pub fn fresh_like(&self) -> Self {
        let mut member = Self::new(self.ledger.fresh_like(), self.seen_epoch, self.generation);
        member.replay_writer = self.replay_writer;
        member
    }
}
