//! What the two Rust front ends share: their events and errors in the
//! scenario's terms, and the policy a scenario sets.

use std::io;
use std::sync::{Arc, Mutex};

use ha_cover_rt::{Builder, Event, EventKind, RecoveryError, Stats, WritePolicy};

use crate::scenario::{Counts, Ev, Outcome, Policy, Reason, Scenario, Target};

/// A builder with the scenario's limits and write policy, telling its events
/// to `events`.
/// `builder` (a sync or an async one) with the scenario's policy.
pub fn builder<F>(
    mut builder: Builder<F>,
    scenario: &Scenario,
    events: &Arc<Mutex<Vec<Ev>>>,
) -> Builder<F> {
    let limits = scenario.limits;
    if let Some(n) = limits.attempts {
        builder = builder.attempts(n);
    }
    if let Some(n) = limits.total {
        builder = builder.total(n);
    }
    if let Some(ms) = limits.deadline_ms {
        builder = builder.deadline(std::time::Duration::from_millis(ms));
    }
    if let Target::Socket { policy, .. } = scenario.target {
        builder = builder.write_policy(match policy {
            Policy::Never => WritePolicy::Never,
            Policy::Always => WritePolicy::Always,
            Policy::Replay => WritePolicy::Replay,
        });
    }
    let events = Arc::clone(events);
    builder.on_event(move |event| {
        if let Some(ev) = ev_of(event) {
            events.lock().unwrap().push(ev);
        }
    })
}

fn ev_of(event: &Event<'_>) -> Option<Ev> {
    Some(match &event.kind {
        EventKind::Failed { cause } => Ev::Failed {
            errno: cause.errno().unwrap_or(0),
        },
        EventKind::AttemptFailed { number, error } => Ev::AttemptFailed {
            number: *number,
            errno: error.raw_os_error().unwrap_or(libc::EIO),
        },
        EventKind::Recovered { attempts, .. } => Ev::Recovered {
            attempts: *attempts,
        },
        EventKind::GaveUp { reason, .. } => Ev::GaveUp {
            reason: match reason {
                RecoveryError::Suspended => Reason::Suspended,
                RecoveryError::TotalLimit { .. } => Reason::Total,
                RecoveryError::AttemptsExhausted { .. } => Reason::Attempts,
                RecoveryError::DeadlinePassed { .. } => Reason::Deadline,
                RecoveryError::GaveUp(_) => Reason::Function,
                RecoveryError::Cancelled => Reason::Cancelled,
                _ => Reason::Other,
            },
        },
        EventKind::Indeterminate { unanswered } => Ev::Indeterminate {
            unanswered: *unanswered,
        },
        _ => return None,
    })
}

/// An operation's error in the scenario's terms.
pub fn outcome_of(error: io::Error) -> Outcome {
    if ha_cover_rt::is_indeterminate(&error) {
        return Outcome::Indeterminate;
    }
    match error.raw_os_error() {
        Some(errno) => Outcome::Errno(errno),
        None => panic!("an error a C caller could not see: {error}"),
    }
}

/// A read's result in the scenario's terms.
pub fn read_outcome(result: io::Result<usize>, buf: &[u8]) -> Outcome {
    match result {
        Ok(0) => Outcome::Eof,
        Ok(n) => Outcome::Data(buf[..n].to_vec()),
        Err(e) => outcome_of(e),
    }
}

pub fn counts(stats: &Stats) -> Counts {
    Counts {
        failures: stats.failures,
        recoveries: stats.recoveries,
        attempts: stats.attempts,
        gave_up: stats.gave_up,
        indeterminate: stats.indeterminate,
        last_errno: stats.last_errno.unwrap_or(0),
    }
}
