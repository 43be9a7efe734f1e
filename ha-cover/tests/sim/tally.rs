//! What a run counted: the simulation's own tally, the events the engine
//! sent, the calls a scripted run returned, and the first violation.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use ha_cover_engine::{Event, EventKind, RecoveryError};

/// What the simulation counted itself, to hold the engine's stats against.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    /// Calls of the recovery function.
    pub attempts: u64,
    /// Attempts that failed without ending the recovery (an `AttemptFailed` event each).
    pub attempt_failures: u64,
    pub installs: u64,
    /// Installed connections that were alive when installed.
    pub live_installs: u64,
    /// Indeterminate results returned to callers.
    pub indeterminate: u64,
    pub replays: u64,
    /// Recovery cycles begun.
    pub cycles: u64,
    /// Concurrent appends whose growth was credited to another one (see `oracle`).
    pub ambiguous_appends: u64,
    pub ops_ok: u64,
    pub ops_failed: u64,
    pub exchanges_answered: u64,
    pub exchanges_failed: u64,
}

/// The events the engine sent, counted by kind.
#[derive(Debug, Default)]
pub struct Events {
    pub failed: AtomicU64,
    pub attempt_failed: AtomicU64,
    pub recovered: AtomicU64,
    pub gave_up: AtomicU64,
    pub indeterminate: AtomicU64,
    /// Give-ups by reason: suspended, recursive, total, attempts, deadline,
    /// cancelled, panicked, the function gave up.
    pub reasons: [AtomicU64; 8],
}

impl Events {
    pub fn count(&self, event: &Event<'_>) {
        let counter = match &event.kind {
            EventKind::Failed { .. } => &self.failed,
            EventKind::AttemptFailed { .. } => &self.attempt_failed,
            EventKind::Recovered { .. } => &self.recovered,
            EventKind::GaveUp { reason, .. } => {
                let i = match reason {
                    RecoveryError::Suspended => 0,
                    RecoveryError::Recursive => 1,
                    RecoveryError::TotalLimit { .. } => 2,
                    RecoveryError::AttemptsExhausted { .. } => 3,
                    RecoveryError::DeadlinePassed { .. } => 4,
                    RecoveryError::Cancelled => 5,
                    RecoveryError::Panicked(_) => 6,
                    _ => 7,
                };
                self.reasons[i].fetch_add(1, Ordering::Relaxed);
                &self.gave_up
            }
            EventKind::Indeterminate { .. } => &self.indeterminate,
            _ => return,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }
}

/// An operation of a scripted run, returned.
#[derive(Clone, Debug)]
pub struct Call {
    pub member: usize,
    /// It was a seek (whose result is a position).
    pub seek: bool,
    pub result: Result<u64, String>,
    pub took: Duration,
}

/// A violated invariant.
#[derive(Clone, Debug)]
pub struct Violation {
    /// What kind, to tell whether a shrunk schedule fails the same way.
    pub kind: &'static str,
    pub detail: String,
}
