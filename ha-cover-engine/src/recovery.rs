//! One recovery cycle, as a state machine its driver steps: the member that
//! recovers asks [`Recovery::next`] what to do, does it (call the recovery
//! function, wait for the server, replay, install the new connection) and
//! reports the result. Every decision, count and event is made here; the
//! driver only does the I/O.

use std::io;
use std::time::{Duration, Instant};

use crate::cause::copy_error;
use crate::error::{AttemptError, RecoveryError};
use crate::event::{WaitingFor, What};
use crate::group::{Found, Group};
use crate::pacing::{Cycle, Step};

/// A recovery in flight, owned by the member driving it. It must be driven to
/// its end ([`Action::Done`]) or [abandoned](Self::abandon): until then every
/// other member of the group waits for it.
#[derive(Debug)]
pub struct Recovery {
    flight: u64,
    cycle: Cycle,
    began: Instant,
    /// What the watcher watches, once it started.
    watching: Option<WaitingFor>,
    /// When the next progress report is due.
    report_at: Instant,
    stage: Stage,
}

#[derive(Debug)]
enum Stage {
    /// Calling the recovery function, as the schedule says.
    Attempting,
    /// A new connection is there; what the group's unanswered bytes need.
    Restored { found: Found },
    /// The new connection is ready to be installed.
    Ready { found: Found },
    /// The cycle ended.
    Ended,
}

/// What the driver does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Call the recovery function, then report [`restored`](Recovery::restored),
    /// [`attempt_failed`](Recovery::attempt_failed) or
    /// [`panicked`](Recovery::panicked).
    Attempt(Attempt),
    /// Start watching for the server to come back (the mount table, a socket's
    /// directory), then report [`watching`](Recovery::watching).
    Watch,
    /// Wait this long, waking early if the watcher sees the server back, then
    /// report [`waited`](Recovery::waited).
    Wait(Duration),
    /// Send the group's unanswered bytes ([`Ledger::replayable`](crate::Ledger::replayable))
    /// on the new connection, then report [`replayed`](Recovery::replayed).
    Replay,
    /// Make the new connection the group's, then report
    /// [`installed`](Recovery::installed).
    Install,
    /// The cycle ended, with a new connection or without: settle again.
    Done,
}

/// What a recovery function is told about its attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    /// Which attempt for the current failure, from 1.
    pub number: u32,
    /// When the policy's deadline for the failure passes.
    pub deadline: Option<Instant>,
}

/// What the driver found on the connection a recovery function returned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Restored {
    /// It is the connection that failed (the same open file description): no
    /// recovery at all.
    pub unchanged: bool,
    /// For a file, the dead connection's position, read before the recovery
    /// function ran.
    pub dead_position: Option<u64>,
    /// For a file, the new connection's position.
    pub position: Option<u64>,
    /// For an append-mode file, the end of the file, where the driver put the
    /// new connection (unless the file is read too: then where the recovery
    /// function put it, `position`).
    pub end: Option<u64>,
}

impl Recovery {
    pub(crate) fn new(flight: u64, cycle: Cycle, first_report: Duration, now: Instant) -> Self {
        Self {
            flight,
            cycle,
            began: now,
            watching: None,
            report_at: now.checked_add(first_report).unwrap_or(far_future(now)),
            stage: Stage::Attempting,
        }
    }

    fn check(&self, group: &Group) {
        // Once it ended, another member may have started the next one.
        if !matches!(self.stage, Stage::Ended) {
            debug_assert_eq!(
                group.flight,
                Some(self.flight),
                "a recovery is driven against its own group"
            );
        }
    }

    /// What to do now.
    pub fn next(&mut self, group: &mut Group, now: Instant) -> Action {
        self.check(group);
        match &self.stage {
            Stage::Ended => Action::Done,
            Stage::Restored { found } if found.stream.replayed => Action::Replay,
            Stage::Restored { found } => {
                self.stage = Stage::Ready { found: *found };
                Action::Install
            }
            Stage::Ready { .. } => Action::Install,
            Stage::Attempting => match self.cycle.step(&group.policy, &group.counters, now) {
                Step::GiveUp(reason) => {
                    self.give_up(group, reason, now);
                    Action::Done
                }
                step if now >= self.report_at => {
                    self.report(group, now);
                    self.act(group, step, now)
                }
                step => self.act(group, step, now),
            },
        }
    }

    /// What the schedule's `step` asks of the driver.
    fn act(&mut self, group: &mut Group, step: Step, now: Instant) -> Action {
        match step {
            Step::Attempt => {
                group.stats.attempts += 1;
                Action::Attempt(Attempt {
                    number: self.cycle.attempts() + 1,
                    deadline: self.cycle.deadline(),
                })
            }
            // Watching starts only when a recovery has to wait.
            Step::Wait(_) if self.watching.is_none() => Action::Watch,
            // A long wait is cut at the next progress report.
            Step::Wait(delay) => Action::Wait(delay.min(self.report_at - now)),
            Step::GiveUp(reason) => {
                self.give_up(group, reason, now);
                Action::Done
            }
        }
    }

    /// The watcher started, watching for `what` (a TCP peer cannot be
    /// watched: a [`Timer`](WaitingFor::Timer)).
    pub fn watching(&mut self, what: WaitingFor, now: Instant) {
        self.watching = Some(what);
        // The server may have come back while the watcher started: try once
        // more before waiting, unless nothing failed yet.
        if what.sees_changes() && self.cycle.attempts() > 0 {
            self.cycle.retry_now(now);
        }
    }

    /// A wait ended; `woken` when the watcher saw the server come back.
    pub fn waited(&mut self, woken: bool, now: Instant) {
        if woken {
            self.cycle.nudge(now);
        }
    }

    /// The attempt failed (or gave up: [`AttemptError::give_up`]).
    pub fn attempt_failed(&mut self, group: &mut Group, error: AttemptError, now: Instant) {
        self.check(group);
        let AttemptError { error, give_up } = error;
        if give_up {
            return self.give_up(group, RecoveryError::given_up(error), now);
        }
        self.failed(group, error, now);
    }

    /// The recovery function panicked; the recovery gives up.
    pub fn panicked(&mut self, group: &mut Group, message: String, now: Instant) {
        self.check(group);
        self.give_up(group, RecoveryError::Panicked(message), now);
    }

    /// The recovery function returned a connection; the driver put it in place
    /// (an append-mode file at its end) and found `restored`.
    pub fn restored(&mut self, group: &mut Group, restored: Restored, now: Instant) {
        self.check(group);
        if restored.unchanged {
            return self.failed(
                group,
                io::Error::other(
                    "the recovery function returned the connection that failed, unchanged",
                ),
                now,
            );
        }
        self.stage = Stage::Restored {
            found: group.found(&restored),
        };
    }

    /// The unanswered bytes were sent again on the new connection, or sending
    /// them failed (the new connection died too: a failed attempt).
    pub fn replayed(&mut self, group: &mut Group, result: io::Result<()>, now: Instant) {
        self.check(group);
        let Stage::Restored { found } = self.stage else {
            debug_assert!(false, "replayed without a replay");
            return;
        };
        match result {
            Ok(()) => {
                group.record(|| What::Retransmitted {
                    bytes: found.stream.unanswered,
                });
                self.stage = Stage::Ready { found }
            }
            Err(error) => self.failed(group, error, now),
        }
    }

    /// The new connection is the group's: the cycle ends.
    pub fn installed(&mut self, group: &mut Group, now: Instant) {
        self.check(group);
        let Stage::Ready { found } = self.stage else {
            debug_assert!(false, "installed before the connection was ready");
            return;
        };
        group.recovered(&mut self.cycle, found, self.began, now);
        self.stage = Stage::Ended;
    }

    /// Ends the recovery unfinished: its driver cannot go on (an async task
    /// dropped by its runtime). Counted as a recovery that gave up.
    pub fn abandon(mut self, group: &mut Group, now: Instant) {
        if !matches!(self.stage, Stage::Ended) {
            self.give_up(group, RecoveryError::Cancelled, now);
        }
    }

    /// Whether the cycle ended.
    pub fn is_done(&self) -> bool {
        matches!(self.stage, Stage::Ended)
    }

    fn failed(&mut self, group: &mut Group, error: io::Error, now: Instant) {
        let number = self.cycle.attempts() + 1;
        group.record(|| What::AttemptFailed {
            number,
            error: copy_error(&error),
        });
        self.cycle.attempt_failed(
            error,
            &group.policy,
            &mut group.counters,
            &mut group.backoff,
            now,
        );
        self.stage = Stage::Attempting;
    }

    /// Says the recovery goes on, and when it says so next.
    fn report(&mut self, group: &mut Group, now: Instant) {
        let every = group.policy.progress.every.max(Duration::from_millis(1));
        self.report_at = now.checked_add(every).unwrap_or(far_future(now));
        let (elapsed, attempts, waiting_for) =
            (now - self.began, self.cycle.attempts(), self.watching);
        group.record(|| What::Waiting {
            elapsed,
            attempts,
            waiting_for,
        });
    }

    fn give_up(&mut self, group: &mut Group, reason: RecoveryError, now: Instant) {
        group.gave_up(reason, self.began, now);
        self.stage = Stage::Ended;
    }
}

/// A time no recovery reaches: reports that are off.
fn far_future(now: Instant) -> Instant {
    // About 30 years: far enough, and representable on every platform.
    now + Duration::from_secs(1 << 30)
}
