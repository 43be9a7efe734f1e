//! Counters and events: what recovery did, for logs, metrics and tests.

use std::fmt;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use crate::cause::Cause;
use crate::connection::ConnectionInfo;
use crate::errno::errno_name;
use crate::error::RecoveryError;
use crate::human::Human;
use crate::outage::Outage;

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
    connection: Option<Arc<ConnectionInfo>>,
}

impl Stats {
    /// The connection group these are about (`None` for stats made by hand).
    pub fn connection(&self) -> Option<&ConnectionInfo> {
        self.connection.as_deref()
    }

    pub(crate) fn for_connection(connection: Arc<ConnectionInfo>) -> Self {
        Self {
            connection: Some(connection),
            ..Self::default()
        }
    }
}

/// One line: `/mnt/fuse/data: 3 failures, 2 recovered, 1 gave up, 0
/// indeterminate; 57 attempts, 4.20s disconnected; last cause ENOTCONN`.
impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(connection) = &self.connection {
            write!(f, "{connection}: ")?;
        }
        write!(
            f,
            "{} failure{}, {} recovered, {} gave up, {} indeterminate; {} attempt{}, {} disconnected",
            self.failures,
            plural(self.failures),
            self.recoveries,
            self.gave_up,
            self.indeterminate,
            self.attempts,
            plural(self.attempts),
            Human(self.disconnected),
        )?;
        match (self.failures, self.last_errno) {
            (0, _) => Ok(()),
            (_, Some(errno)) => match errno_name(errno) {
                Some(name) => write!(f, "; last cause {name}"),
                None => write!(f, "; last cause errno {errno}"),
            },
            (_, None) => f.write_str("; last cause EOF"),
        }
    }
}

fn plural(n: impl Into<u64>) -> &'static str {
    if n.into() == 1 { "" } else { "s" }
}

/// What a recovery that has to wait is waiting for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WaitingFor {
    /// The file system to be mounted again (the mount table is watched).
    Mount,
    /// The Unix socket to be bound again (its directory is watched).
    Socket,
    /// Nothing can be watched (TCP, a connection of unknown origin): the
    /// backoff's timer.
    Timer,
}

impl WaitingFor {
    /// Whether the server coming back can be seen (not a timer).
    pub fn sees_changes(self) -> bool {
        !matches!(self, WaitingFor::Timer)
    }

    /// `mount`, `socket` or `timer`: the `waiting_for` field of logs.
    pub fn as_str(self) -> &'static str {
        match self {
            WaitingFor::Mount => "mount",
            WaitingFor::Socket => "socket",
            WaitingFor::Timer => "timer",
        }
    }
}

impl fmt::Display for WaitingFor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something recovery did on a connection group, as told to the callback set
/// with `Builder::on_event` (and, with the `tracing` feature, logged through
/// `tracing`; with the `metrics` feature, counted through `metrics`).
///
/// Displayed as one line that names the connection:
/// `/mnt/fuse/data (fd 3): recovered after 2.31s (57 attempts)`.
#[derive(Debug)]
#[non_exhaustive]
pub struct Event<'a> {
    /// The connection group it happened to.
    pub connection: &'a ConnectionInfo,
    /// The descriptor whose failure started the recovery, when the front end
    /// has one (`None` for an [`Indeterminate`](EventKind::Indeterminate)
    /// outcome, which is a member's own).
    pub descriptor: Option<i32>,
    /// What happened.
    pub kind: EventKind<'a>,
}

/// What happened: the beginning of a recovery, its progress, its end.
#[derive(Debug)]
#[non_exhaustive]
pub enum EventKind<'a> {
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
    /// The recovery goes on: reported after [`Progress::first`](crate::Progress)
    /// and then every [`Progress::every`](crate::Progress), like the NFS
    /// client's "server not responding, still trying".
    Waiting {
        /// Time since the failure was seen.
        elapsed: Duration,
        /// Attempts failed so far.
        attempts: u32,
        /// What the recovery waits for between attempts, once it has waited.
        waiting_for: Option<WaitingFor>,
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
        /// Time since the failure was seen.
        elapsed: Duration,
    },
    /// The connection is back but bytes sent before the failure were not sent again
    /// (see [`WritePolicy`](crate::WritePolicy)).
    Indeterminate {
        /// How many.
        unanswered: u64,
    },
}

impl fmt::Display for Event<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let connection = self.connection;
        match (connection.name(), self.descriptor) {
            (_, None) => write!(f, "{connection}")?,
            (None, Some(fd)) => write!(f, "{connection} (fd {fd})")?,
            (Some(name), Some(fd)) => {
                let plain = ConnectionInfo::new(connection.kind(), connection.target().clone());
                write!(f, "\"{name}\" ({plain}, fd {fd})")?;
            }
        }
        write!(f, ": {}", self.kind)
    }
}

impl fmt::Display for EventKind<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventKind::Failed { cause } => write!(f, "connection lost: {cause}; recovering"),
            EventKind::AttemptFailed { number, error } => {
                write!(f, "recovery attempt {number} failed: {error}")
            }
            EventKind::Waiting {
                elapsed,
                attempts,
                waiting_for,
            } => {
                write!(
                    f,
                    "still recovering after {}, {attempts} attempt{} failed",
                    Human(*elapsed),
                    plural(*attempts)
                )?;
                match waiting_for {
                    Some(WaitingFor::Mount) => {
                        f.write_str("; waiting for the file system to be mounted again")
                    }
                    Some(WaitingFor::Socket) => {
                        f.write_str("; waiting for the socket to be bound again")
                    }
                    Some(WaitingFor::Timer) | None => Ok(()),
                }
            }
            EventKind::Recovered { attempts, downtime } => write!(
                f,
                "recovered after {} ({attempts} attempt{})",
                Human(*downtime),
                plural(*attempts)
            ),
            EventKind::GaveUp { reason, elapsed } => {
                write!(f, "not recovered after {}: {reason}", Human(*elapsed))
            }
            EventKind::Indeterminate { unanswered } => write!(
                f,
                "recovered, but whether the server received the {unanswered} byte{} sent before the failure is unknown; they were not sent again",
                plural(*unanswered)
            ),
        }
    }
}

/// A callback that is told every [`Event`] of a group. It is called with no
/// lock held, so it may use the cover (read its stats, say).
pub type EventSink = Arc<dyn Fn(&Event<'_>) + Send + Sync>;

/// What an event is about: a recovery (with its log context), or the
/// connection alone.
#[derive(Debug)]
pub(crate) enum Scope {
    Recovery(Arc<Outage>),
    Connection(Arc<ConnectionInfo>),
}

impl Scope {
    pub(crate) fn connection(&self) -> &ConnectionInfo {
        match self {
            Scope::Recovery(outage) => &outage.connection,
            Scope::Connection(connection) => connection,
        }
    }
}

/// An event as a group records it while it is locked.
#[derive(Debug)]
pub(crate) struct Recorded {
    pub scope: Scope,
    pub what: What,
}

#[derive(Debug)]
pub(crate) enum What {
    Failed,
    AttemptFailed {
        number: u32,
        error: io::Error,
    },
    Waiting {
        elapsed: Duration,
        attempts: u32,
        waiting_for: Option<WaitingFor>,
    },
    Recovered {
        attempts: u32,
        downtime: Duration,
    },
    GaveUp {
        reason: Arc<RecoveryError>,
        elapsed: Duration,
    },
    Indeterminate {
        unanswered: u64,
    },
    /// Bytes sent again on a new connection: counted, not told.
    #[cfg_attr(not(feature = "metrics"), allow(dead_code))]
    Retransmitted {
        bytes: u64,
    },
}

impl Recorded {
    /// The event to tell, unless it is only counted.
    pub(crate) fn as_event(&self) -> Option<Event<'_>> {
        let (descriptor, cause) = match &self.scope {
            Scope::Recovery(outage) => (outage.descriptor, Some(&outage.cause)),
            Scope::Connection(_) => (None, None),
        };
        let kind = match &self.what {
            What::Failed => EventKind::Failed { cause: cause? },
            What::AttemptFailed { number, error } => EventKind::AttemptFailed {
                number: *number,
                error,
            },
            What::Waiting {
                elapsed,
                attempts,
                waiting_for,
            } => EventKind::Waiting {
                elapsed: *elapsed,
                attempts: *attempts,
                waiting_for: *waiting_for,
            },
            What::Recovered { attempts, downtime } => EventKind::Recovered {
                attempts: *attempts,
                downtime: *downtime,
            },
            What::GaveUp { reason, elapsed } => EventKind::GaveUp {
                reason,
                elapsed: *elapsed,
            },
            What::Indeterminate { unanswered } => EventKind::Indeterminate {
                unanswered: *unanswered,
            },
            What::Retransmitted { .. } => return None,
        };
        Some(Event {
            connection: self.scope.connection(),
            descriptor,
            kind,
        })
    }
}

/// The events a group recorded, to be told to its sink (and logged, and
/// counted) once its lock is released: [`Shared`](crate::Shared)'s guard does
/// so when it is dropped; a front end that owns a [`Group`](crate::Group)
/// outright calls [`Group::take_events`](crate::Group::take_events) after each
/// use.
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
            #[cfg(feature = "metrics")]
            crate::metrics::count(recorded);
            let Some(event) = recorded.as_event() else {
                continue;
            };
            #[cfg(feature = "tracing")]
            crate::trace::log(recorded, &event);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connection::Target;
    use crate::op::Kind;

    fn connection(name: Option<&str>) -> ConnectionInfo {
        ConnectionInfo::new(Kind::File, Target::Path("/mnt/fuse/data".into()))
            .named(name.map(Arc::from))
    }

    #[test]
    fn an_event_is_one_line_that_names_the_connection() {
        let cause = Cause::Error(io::Error::from_raw_os_error(libc::ENOTCONN));
        let unnamed = connection(None);
        let named = connection(Some("orders"));
        let shown = |connection, descriptor, kind| {
            Event {
                connection,
                descriptor,
                kind,
            }
            .to_string()
        };
        assert_eq!(
            shown(&unnamed, Some(3), EventKind::Failed { cause: &cause }),
            "/mnt/fuse/data (fd 3): connection lost: ENOTCONN (Transport endpoint is not connected); recovering"
        );
        assert_eq!(
            shown(
                &named,
                Some(3),
                EventKind::Waiting {
                    elapsed: Duration::from_secs(6),
                    attempts: 41,
                    waiting_for: Some(WaitingFor::Mount)
                }
            ),
            "\"orders\" (/mnt/fuse/data, fd 3): still recovering after 6.00s, 41 attempts failed; waiting for the file system to be mounted again"
        );
        assert_eq!(
            shown(
                &named,
                None,
                EventKind::Recovered {
                    attempts: 1,
                    downtime: Duration::from_millis(2310)
                }
            ),
            "\"orders\" (/mnt/fuse/data): recovered after 2.31s (1 attempt)"
        );
        let reason = RecoveryError::DeadlinePassed {
            deadline: Duration::from_secs(30),
            attempts: 412,
            last: Some(io::Error::from_raw_os_error(libc::ENOENT)),
        };
        let line = shown(
            &unnamed,
            Some(3),
            EventKind::GaveUp {
                reason: &reason,
                elapsed: Duration::from_secs(30),
            },
        );
        assert_eq!(
            line,
            "/mnt/fuse/data (fd 3): not recovered after 30.0s: the deadline of 30.0s passed after 412 attempts; the last failed with: No such file or directory (os error 2)"
        );
        assert!(!line.contains('\n'));
    }

    #[test]
    fn stats_are_one_line_that_names_the_connection() {
        let mut stats = Stats::for_connection(Arc::new(connection(Some("orders"))));
        assert_eq!(
            stats.to_string(),
            "\"orders\" (/mnt/fuse/data): 0 failures, 0 recovered, 0 gave up, 0 indeterminate; 0 attempts, 0µs disconnected"
        );
        stats.failures = 1;
        stats.recoveries = 1;
        stats.attempts = 3;
        stats.disconnected = Duration::from_millis(850);
        stats.last_errno = Some(libc::ESTALE);
        assert_eq!(
            stats.to_string(),
            "\"orders\" (/mnt/fuse/data): 1 failure, 1 recovered, 0 gave up, 0 indeterminate; 3 attempts, 850ms disconnected; last cause ESTALE"
        );
    }
}
