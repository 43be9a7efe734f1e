//! The cover loop's cold half: after an operation failed with a trigger, recover
//! (or catch up with a recovery another member made), then decide what becomes of
//! the failed operation. Blocking lives here; the decisions are in `schedule` and
//! `retransmit`.

use std::cell::RefCell;
use std::io;
use std::sync::Arc;
use std::time::Instant;

use crate::connection::{Connection, Kind};
use crate::error::{Indeterminate, RecoveryError, Unrecovered};
use crate::event::{Event, emit};
use crate::group::{GroupState, Member, Shared};
use crate::handle::Recoverable;
use crate::policy::WritePolicy;
use crate::recovery::{Cause, Failure};
use crate::retransmit::{FileFacts, OpInfo, OpKind, Resume, after_recovery};
use crate::schedule::{Cycle, Step};
use crate::sys;
use crate::wait::Watcher;

/// What the cover loop does after a failure was settled.
pub(crate) enum Next {
    /// Run the operation again.
    Resend,
    /// The failed write had reached the file: it wrote this many bytes.
    Landed(usize),
    /// Return this error.
    Fail(io::Error),
    /// Return end-of-file, as the read did.
    Eof,
}

thread_local! {
    /// The groups whose recovery function this thread is running. A failure while
    /// it runs is not recovered again (QNX: no recursion from inside a recovery).
    static RECOVERING: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

pub(crate) fn is_recovering(group: usize) -> bool {
    RECOVERING.with(|r| r.borrow().contains(&group))
}

fn in_any_recovery() -> bool {
    RECOVERING.with(|r| !r.borrow().is_empty())
}

struct RecoveringGuard;

impl RecoveringGuard {
    fn enter(group: usize) -> Self {
        RECOVERING.with(|r| r.borrow_mut().push(group));
        RecoveringGuard
    }
}

impl Drop for RecoveringGuard {
    fn drop(&mut self) {
        RECOVERING.with(|r| r.borrow_mut().pop());
    }
}

/// The pieces of a cover the driver works on, borrowed apart so the group state
/// (owned or behind the lock) and the member's descriptor can both be changed.
pub(crate) struct Parts<'a, C, H> {
    pub state: &'a mut GroupState<C, H>,
    pub shared: Option<&'a Arc<Shared<C, H>>>,
    pub conn: &'a mut C,
    pub member: &'a mut Member<C>,
    /// The dead connection a recovery replaced. The caller closes it after the
    /// failed operation has been retransmitted: closing the last descriptor on
    /// a dead FUSE mount frees the whole detached mount, which takes longer than
    /// the retransmission itself.
    pub retired: Option<C>,
}

impl<C: Connection, H: Recoverable> Parts<'_, C, H> {
    fn group_id(&self) -> usize {
        self.shared
            .map_or(&raw const *self.state as usize, |shared| shared.id())
    }

    /// Settles an operation: catch up with a recovery made since it began, or
    /// recover now. `cause` is `None` when the operation has not run yet and only
    /// the catching up is wanted.
    pub fn settle(&mut self, op: OpInfo, mut cause: Option<Cause>) -> Next {
        loop {
            if self.state.epoch != self.member.seen_epoch {
                self.member.seen_epoch = self.state.epoch;
                if self.state.generation != self.member.generation && self.state.latest.is_some() {
                    match self.move_to_latest(
                        OpInfo {
                            attempted: cause.is_some(),
                            ..op
                        },
                        cause.as_ref(),
                    ) {
                        Ok(next) => return next,
                        // Sending the replay on the new connection failed: that is a
                        // failure of the new connection, recovered like any other.
                        Err(e) => {
                            cause = Some(Cause::Error(e));
                            continue;
                        }
                    }
                }
                // The recovery that ended since this operation began gave up: so
                // does the operation (QNX: one recovery serves every thread).
                if let Some(cause) = cause {
                    let reason = self.state.stats.last_give_up.clone();
                    return self.give_up_result(cause, reason);
                }
            }
            return match cause {
                None => Next::Resend,
                Some(cause) => self.recover(op, cause),
            };
        }
    }

    /// Moves this member to the connection another member's recovery made, and
    /// decides about its operation as if it had recovered itself.
    fn move_to_latest(&mut self, op: OpInfo, cause: Option<&Cause>) -> io::Result<Next> {
        let latest = self.state.latest.as_ref().expect("checked by the caller");
        let mut facts = FileFacts {
            position_kept: self.state.position_kept,
            append: None,
        };
        if C::KIND == Kind::File && op.kind == OpKind::Write && self.state.origin.is_append() {
            let before = self.conn.descriptor().and_then(|fd| sys::position(fd).ok());
            let size = latest
                .descriptor()
                .and_then(|fd| sys::inode_and_size(fd).ok())
                .map(|(_, s)| s);
            facts.append = before.zip(size);
        }
        let own = latest.try_dup()?;
        self.retired = Some(std::mem::replace(&mut *self.conn, own));
        self.member.generation = self.state.generation;
        // (A member dropped before moving keeps the copy open until the next
        // recovery replaces it.)
        let state = &mut *self.state;
        crate::group::one_member_moved(&mut state.behind, &mut state.latest);
        let resume = after_recovery(
            C::KIND,
            op,
            self.state.policy.write_policy,
            &self.member.ledger,
            facts,
        );
        if resume == Resume::ReplayThenResend {
            self.replay_onto_own()?;
        }
        Ok(self.conclude(resume, cause.and_then(Cause::errno)))
    }

    fn replay_onto_own(&mut self) -> io::Result<()> {
        replay(self.member, None, self.conn)
    }

    /// Runs one recovery cycle on this thread.
    fn recover(&mut self, op: OpInfo, cause: Cause) -> Next {
        if in_any_recovery() {
            let reason = Arc::new(RecoveryError::Recursive);
            return self.give_up_result(cause, Some(reason));
        }
        let group = self.group_id();
        let began = Instant::now();
        self.state.stats.failures += 1;
        self.state.stats.last_errno = cause.errno();
        emit(self.state.sink.as_ref(), Event::Failed { cause: &cause });
        // The kernel keeps a file's position even when its server is gone; it is
        // where the retransmitted operation must happen.
        let dead_position = if C::KIND == Kind::File {
            self.conn.descriptor().and_then(|fd| sys::position(fd).ok())
        } else {
            None
        };

        let state = &mut *self.state;
        let mut cycle =
            match Cycle::begin(&state.policy, &state.counters, &mut state.backoff, began) {
                Ok(cycle) => cycle,
                Err(reason) => return self.finish_giving_up(cause, reason, began),
            };
        let mut watcher: Option<Watcher> = None;
        loop {
            let state = &mut *self.state;
            match cycle.step(&state.policy, &state.counters, Instant::now()) {
                Step::Wait(delay) => match &mut watcher {
                    Some(watcher) => {
                        if watcher.wait(delay) {
                            cycle.nudge(Instant::now());
                        }
                    }
                    None => {
                        // Watching starts only when a recovery has to wait. The
                        // server may have come back while it started: try once
                        // more before waiting, unless nothing failed yet.
                        let started = watcher.insert(Watcher::for_origin(&state.origin));
                        if started.sees_changes() && cycle.attempts() > 0 {
                            cycle.retry_now(Instant::now());
                        } else if started.wait(delay) {
                            cycle.nudge(Instant::now());
                        }
                    }
                },
                Step::GiveUp(reason) => return self.finish_giving_up(cause, reason, began),
                Step::Attempt => {
                    state.stats.attempts += 1;
                    let failure = Failure {
                        cause: &cause,
                        attempt: cycle.attempts() + 1,
                        dead: &*self.conn,
                        origin: &state.origin,
                        position: dead_position,
                        identity: state.identity,
                        deadline: cycle.deadline(),
                    };
                    let attempt = {
                        let _recovering = RecoveringGuard::enter(group);
                        state.recovery.recover(&failure, &mut state.handle)
                    };
                    let outcome = attempt.map_err(|e| (e.give_up, e.error)).and_then(|fresh| {
                        self.install(fresh, op, dead_position)
                            .map_err(|e| (false, e))
                    });
                    match outcome {
                        Ok(resume) => {
                            let state = &mut *self.state;
                            let now = Instant::now();
                            cycle.succeeded(&mut state.counters, &mut state.backoff, now);
                            state.stats.recoveries += 1;
                            state.stats.disconnected += now - began;
                            state.handle.on_recovered();
                            emit(
                                state.sink.as_ref(),
                                Event::Recovered {
                                    attempts: cycle.attempts(),
                                    downtime: now - began,
                                },
                            );
                            self.end_cycle();
                            return self.conclude(resume, cause.errno());
                        }
                        Err((true, error)) => {
                            return self.finish_giving_up(
                                cause,
                                RecoveryError::GaveUp(error),
                                began,
                            );
                        }
                        Err((false, error)) => {
                            let state = &mut *self.state;
                            emit(
                                state.sink.as_ref(),
                                Event::AttemptFailed {
                                    number: cycle.attempts() + 1,
                                    error: &error,
                                },
                            );
                            cycle.attempt_failed(
                                error,
                                &state.policy,
                                &mut state.counters,
                                &mut state.backoff,
                                Instant::now(),
                            );
                        }
                    }
                }
            }
        }
    }

    /// Puts the connection a recovery function returned in place: positions an
    /// append-mode file at its end, replays unanswered bytes where the policy says
    /// so, moves this member's descriptor onto it, and makes it the group's current
    /// connection. An error here is a failed attempt (the new connection died too).
    fn install(
        &mut self,
        mut fresh: C,
        op: OpInfo,
        dead_position: Option<u64>,
    ) -> io::Result<Resume> {
        let mut facts = FileFacts::default();
        if C::KIND == Kind::File
            && let Some(fd) = fresh.descriptor()
        {
            if self.state.origin.is_append() {
                // The next append lands at the end anyway; being there keeps the
                // position meaningful for the next "did it land" check.
                let end = sys::seek_to_end(fd)?;
                facts.append = dead_position.map(|before| (before, end));
            } else if op.kind == OpKind::Write || self.shared.is_some() {
                // Only a write (this one, or a dup's that catches up later)
                // depends on where the recovery left the position.
                facts.position_kept =
                    dead_position.is_some() && sys::position(fd).ok() == dead_position;
            }
        }
        let resume = after_recovery(
            C::KIND,
            op,
            self.state.policy.write_policy,
            &self.member.ledger,
            facts,
        );
        if resume == Resume::ReplayThenResend {
            replay(self.member, Some(&mut fresh), self.conn)?;
        }
        // Dups move onto the new connection when they next run, so the group
        // keeps one descriptor of it until the last of them has; a sole cover
        // just takes it.
        let own = if self.shared.is_some() {
            Some(fresh.try_dup()?)
        } else {
            None
        };
        let state = &mut *self.state;
        let dead = match own {
            Some(own) => {
                let members = self.shared.map_or(1, Arc::strong_count);
                state.behind = members - 1;
                if let Some(previous) = state.latest.replace(fresh) {
                    crate::reaper::close_later(previous);
                }
                std::mem::replace(&mut *self.conn, own)
            }
            None => std::mem::replace(&mut *self.conn, fresh),
        };
        self.retired = Some(dead);
        state.position_kept = facts.position_kept;
        state.generation += 1;
        self.member.generation = state.generation;
        Ok(resume)
    }

    /// Ends a cycle: members whose operation began before now will not recover
    /// again for it.
    fn end_cycle(&mut self) {
        self.state.epoch += 1;
        self.member.seen_epoch = self.state.epoch;
        if let Some(shared) = self.shared {
            shared.publish_epoch(self.state.epoch);
        }
    }

    fn finish_giving_up(&mut self, cause: Cause, reason: RecoveryError, began: Instant) -> Next {
        let reason = Arc::new(reason);
        let state = &mut *self.state;
        state.stats.gave_up += 1;
        state.stats.disconnected += began.elapsed();
        state.stats.last_give_up = Some(Arc::clone(&reason));
        emit(state.sink.as_ref(), Event::GaveUp { reason: &reason });
        self.end_cycle();
        self.give_up_result(cause, Some(reason))
    }

    /// The failed operation's own result, as std would have returned it.
    fn give_up_result(&self, cause: Cause, reason: Option<Arc<RecoveryError>>) -> Next {
        match cause {
            Cause::Eof => Next::Eof,
            Cause::Error(original) => match reason {
                Some(reason) if self.state.policy.wrap_errors => Next::Fail(io::Error::new(
                    original.kind(),
                    Unrecovered { original, reason },
                )),
                _ => Next::Fail(original),
            },
        }
    }

    /// Turns the retransmission decision into what the cover loop does.
    fn conclude(&mut self, resume: Resume, errno: Option<i32>) -> Next {
        match resume {
            Resume::Resend | Resume::ReplayThenResend => {
                if self.state.policy.write_policy == WritePolicy::Always && C::KIND == Kind::Socket
                {
                    // Under "always" the bytes sent before the failure are given up
                    // for lost; the failed write goes out alone.
                    self.member.ledger.answered();
                }
                Next::Resend
            }
            Resume::Landed(n) => Next::Landed(n),
            Resume::Indeterminate(unanswered) => {
                self.member.ledger.answered();
                self.state.stats.indeterminate += 1;
                emit(
                    self.state.sink.as_ref(),
                    Event::Indeterminate { unanswered },
                );
                Next::Fail(io::Error::other(Indeterminate { unanswered, errno }))
            }
        }
    }
}

/// Sends the member's unanswered bytes again, on `fresh` or on its own descriptor.
fn replay<C: Connection>(
    member: &mut Member<C>,
    fresh: Option<&mut C>,
    own: &mut C,
) -> io::Result<()> {
    let (Some(bytes), Some(writer)) = (member.ledger.replayable(), member.replay_writer) else {
        return Ok(());
    };
    writer(fresh.unwrap_or(own), bytes)
}
