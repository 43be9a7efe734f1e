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

/// A callback that is told every [`Event`] of a group. It is called with no
/// lock held, so it may use the cover (read its stats, say).
pub type EventSink = Arc<dyn Fn(&Event<'_>) + Send + Sync>;

/// An event as a group records it while it is locked.
#[derive(Debug)]
pub(crate) enum Recorded {
    Failed(Cause),
    AttemptFailed { number: u32, error: io::Error },
    Recovered { attempts: u32, downtime: Duration },
    GaveUp(Arc<RecoveryError>),
    Indeterminate { unanswered: u64 },
}

impl Recorded {
    fn as_event(&self) -> Event<'_> {
        match self {
            Recorded::Failed(cause) => Event::Failed { cause },
            Recorded::AttemptFailed { number, error } => Event::AttemptFailed {
                number: *number,
                error,
            },
            Recorded::Recovered { attempts, downtime } => Event::Recovered {
                attempts: *attempts,
                downtime: *downtime,
            },
            Recorded::GaveUp(reason) => Event::GaveUp { reason },
            Recorded::Indeterminate { unanswered } => Event::Indeterminate {
                unanswered: *unanswered,
            },
        }
    }
}

/// The events a group recorded, to be told to its sink (and logged) once its
/// lock is released: [`Shared`](crate::Shared)'s guard does so when it is
/// dropped; a front end that owns a [`Group`](crate::Group) outright calls
/// [`Group::take_events`](crate::Group::take_events) after each use.
#[must_use = "events are told only when delivered"]
#[derive(Default)]
pub struct Events {
    sink: Option<EventSink>,
    recorded: Vec<Recorded>,
}

impl Events {
    pub(crate) fn new(sink: Option<EventSink>, recorded: Vec<Recorded>) -> Self {
        Self { sink, recorded }
    }

    /// Tells each event to the sink, in order.
    pub fn deliver(self) {
        for recorded in &self.recorded {
            let event = recorded.as_event();
            #[cfg(feature = "tracing")]
            trace(&event);
            if let Some(sink) = &self.sink {
                sink(&event);
            }
        }
    }
}

impl std::fmt::Debug for Events {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(&self.recorded).finish()
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
