//! Counters and events: what recovery did, for logs, metrics and tests.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use crate::cause::Cause;
use crate::error::RecoveryError;

/// What recovery has done on a connection group so far.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Stats {
    /// Failures that started a recovery.
    pub failures: u64,
    /// Successful recoveries.
    pub recoveries: u64,
    /// Calls of the recovery function, successful or not.
    pub attempts: u64,
    /// Recoveries that gave up.
    pub gave_up: u64,
    /// Operations that ended [indeterminate](crate::Indeterminate).
    pub indeterminate: u64,
    /// Total time from a failure being seen to the connection being back (or
    /// recovery giving up).
    pub disconnected: Duration,
    /// The OS error of the last failure; `None` before any, or when it was EOF.
    pub last_errno: Option<i32>,
    /// Why the last recovery that gave up did so.
    pub last_give_up: Option<Arc<RecoveryError>>,
}

/// Something recovery did, as told to the callback set with
/// `Builder::on_event` (and, with the `tracing`
/// feature, logged through `tracing`).
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A failure was seen and recovery starts.
    Failed {
        /// What revealed it.
        cause: &'a Cause,
    },
    /// An attempt of the recovery function failed.
    AttemptFailed {
        /// Which attempt, from 1.
        number: u32,
        /// Its error.
        error: &'a io::Error,
    },
    /// The connection is back; the failed operation is retransmitted next.
    Recovered {
        /// Attempts this recovery took.
        attempts: u32,
        /// Time since the failure was seen.
        downtime: Duration,
    },
    /// Recovery gave up; the failed operation returns its original error.
    GaveUp {
        /// Why.
        reason: &'a RecoveryError,
    },
    /// The connection is back but bytes sent before the failure were not sent again
    /// (see [`WritePolicy`](crate::WritePolicy)).
    Indeterminate {
        /// How many.
        unanswered: u64,
    },
}

/// A callback that is told every [`Event`] of a group.
pub type EventSink = Arc<dyn Fn(&Event<'_>) + Send + Sync>;

pub(crate) fn emit(sink: Option<&EventSink>, event: Event<'_>) {
    #[cfg(feature = "tracing")]
    trace(&event);
    if let Some(sink) = sink {
        sink(&event);
    }
}

#[cfg(feature = "tracing")]
fn trace(event: &Event<'_>) {
    match event {
        Event::Failed { cause } => {
            tracing::warn!(target: "ha_cover", errno = ?cause.errno(), "connection failed; recovering")
        }
        Event::AttemptFailed { number, error } => {
            tracing::debug!(target: "ha_cover", attempt = number, %error, "recovery attempt failed")
        }
        Event::Recovered { attempts, downtime } => {
            tracing::info!(target: "ha_cover", attempts, ?downtime, "connection recovered")
        }
        Event::GaveUp { reason } => {
            tracing::error!(target: "ha_cover", %reason, "recovery gave up")
        }
        Event::Indeterminate { unanswered } => {
            tracing::warn!(target: "ha_cover", unanswered, "recovered, but earlier bytes are indeterminate")
        }
    }
}
