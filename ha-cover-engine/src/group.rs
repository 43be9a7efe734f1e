//! A connection group's recovery state, and the protocol its members follow
//! after a failure: who recovers, who waits, who catches up, and what becomes
//! of each operation that was under way.
//!
//! A group is a connection and its dups (QNX's reference-counted entry): one
//! policy, one set of counters, one recovery at a time for all of them. Each
//! member keeps a [`Member`]: which recovery cycles it has seen and which
//! connection it is on. The protocol, for a member whose operation failed:
//!
//! 1. [`Group::settle`] says the member's [`Role`]: run the operation, move to
//!    the connection a recovery made since the operation began, wait for the
//!    recovery in flight, run a recovery itself, or end with its own error.
//! 2. The member that recovers drives the [`Recovery`] to its end.
//! 3. Every member whose operation was under way, the one that recovered
//!    included, moves to the new connection and asks [`Group::decide`] what
//!    becomes of its operation: sent again, landed, or indeterminate.

use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::cause::Cause;
use crate::classify::Classifier;
use crate::connection::{ConnectionInfo, Target};
use crate::error::{Indeterminate, RecoveryError, Unrecovered};
use crate::event::{EventSink, Events, Recorded, Scope, Stats, What};
use crate::op::{Kind, OpInfo, OpKind};
use crate::outage::Outage;
use crate::pacing::{BackoffState, Carry, Counters, Cycle};
use crate::policy::{Policy, WritePolicy};
use crate::recovery::Recovery;
use crate::retransmit::{FileFacts, Resume, StreamFacts, after_recovery};
use crate::unanswered::Ledger;

/// How a group is made.
#[derive(Clone)]
pub struct Config {
    /// The kind of connection.
    pub kind: Kind,
    /// The file was opened `O_APPEND`: a failed write is sent again only when
    /// the file's size shows it did not land.
    pub append: bool,
    /// The policy.
    pub policy: Policy,
    /// Told every event.
    pub sink: Option<EventSink>,
    /// Seeds the backoff's jitter: different for every group in a process.
    pub seed: u64,
    /// The name its user chose, for logs, events and metrics.
    pub name: Option<Arc<str>>,
    /// Where the connection leads, for logs and events.
    pub target: Target,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("kind", &self.kind)
            .field("append", &self.append)
            .field("policy", &self.policy)
            .field("sink", &self.sink.is_some())
            .field("name", &self.name)
            .field("target", &self.target)
            .finish_non_exhaustive()
    }
}

/// Everything one recovery serves.
pub struct Group {
    kind: Kind,
    connection: Arc<ConnectionInfo>,
    append: bool,
    pub(crate) policy: Policy,
    classifier: Classifier,
    pub(crate) counters: Counters,
    pub(crate) backoff: BackoffState,
    pub(crate) stats: Stats,
    sink: Option<EventSink>,
    /// Events recorded and not delivered yet.
    events: Vec<Recorded>,
    /// The recovery in flight as its events tell it, while anyone listens.
    outage: Option<Arc<Outage>>,
    /// Recovery cycles ended, successful or not.
    pub(crate) epoch: u64,
    /// Successful recoveries: the generation of the current connection.
    pub(crate) generation: u64,
    /// The epoch the latest successful recovery ended at.
    last_success_epoch: u64,
    /// The epoch the successful recovery before it ended at.
    previous_success_epoch: u64,
    /// The recovery in flight, by its number.
    pub(crate) flight: Option<u64>,
    flights: u64,
    pub(crate) ledger: Ledger,
    /// What the latest successful recovery found.
    pub(crate) found: Found,
    /// An append-mode file's position was moved by a seek since the last
    /// connection was put at its end: it no longer says where the last append
    /// ended, and a failed append's fate cannot be read from the size.
    seeked: bool,
    /// The failure the latest successful recovery ended, with the generation
    /// of the connection it made: a retransmission that fails at once on that
    /// connection goes on with it (every one of them, while it is the
    /// latest).
    pub(crate) carry: Option<(u64, Carry)>,
}

/// What a successful recovery found, for the decisions about the operations
/// that were under way when the connection died.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Found {
    pub file: FileFacts,
    pub stream: StreamFacts,
    /// An append's growth can be credited to one write only.
    pub append_claimed: bool,
    /// An append-mode file read too, whose new connection is where its reads
    /// were, not at the end: the position says nothing of the next append.
    pub off_end: bool,
}

/// One member's view of its group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Member {
    seen_epoch: u64,
    generation: u64,
}

impl Member {
    /// The recovery cycles this member has seen: when the group's epoch differs,
    /// something happened since its last operation.
    #[inline]
    pub fn seen_epoch(&self) -> u64 {
        self.seen_epoch
    }

    /// The generation of the connection this member is on.
    pub fn generation(&self) -> u64 {
        self.generation
    }
}

/// A failure, as a member reports it to [`Group::settle`].
#[derive(Debug)]
pub struct Failed<'a> {
    /// The operation that failed.
    pub op: OpInfo,
    /// What revealed the failure.
    pub cause: &'a Cause,
    /// The operation was being sent again after a recovery (and failed again at
    /// once, on the connection that recovery made).
    pub retransmission: bool,
    /// The failing thread or task is running a recovery function: the failure
    /// is that function's to handle (no recursion).
    pub inside_recovery: bool,
    /// The failing member's descriptor, when it has one: named in the logs
    /// and events of the recovery it starts.
    pub descriptor: Option<i32>,
}

/// What a member does about its operation.
#[derive(Debug)]
pub enum Role {
    /// Run the operation.
    Run,
    /// A recovery ended since the operation began and made a new connection:
    /// move onto it, then ask [`Group::decide`].
    Move,
    /// Another member is recovering: wait until its cycle ends, then settle again.
    Wait,
    /// Recover: drive this recovery to its end, then settle again.
    Recover(Recovery),
    /// The operation ends with its own failure; the reason recovery did not
    /// happen, if there is one. See [`Group::unrecovered`].
    Unrecovered(Option<Arc<RecoveryError>>),
}

/// What becomes of an operation.
#[derive(Debug)]
pub enum Next {
    /// Run it again.
    Resend,
    /// The failed write had reached the file: it wrote this many bytes.
    Landed(usize),
    /// Return this error.
    Fail(io::Error),
    /// Return end-of-file, as the read did.
    Eof,
}

impl Group {
    /// A group with nothing recovered yet.
    pub fn new(config: Config) -> Self {
        let Config {
            kind,
            append,
            policy,
            sink,
            seed,
            name,
            target,
        } = config;
        let connection = Arc::new(ConnectionInfo::new(kind, target).named(name));
        Self {
            kind,
            append: append && kind == Kind::File,
            classifier: Classifier::for_policy(kind, &policy),
            ledger: Ledger::new(
                kind == Kind::Socket,
                policy.write_policy,
                policy.replay_capacity,
            ),
            policy,
            counters: Counters::default(),
            backoff: BackoffState::new(seed),
            stats: Stats::for_connection(Arc::clone(&connection)),
            connection,
            sink,
            events: Vec::new(),
            outage: None,
            epoch: 0,
            generation: 0,
            last_success_epoch: 0,
            previous_success_epoch: 0,
            flight: None,
            flights: 0,
            found: Found::default(),
            seeked: false,
            carry: None,
        }
    }

    /// A member that has seen everything so far: the first one, or a dup.
    pub fn member(&self) -> Member {
        Member {
            seen_epoch: self.epoch,
            generation: self.generation,
        }
    }

    /// The view of a member whose operation began at epoch `seen`, for a
    /// front end whose members all move at once (the C ABI puts a new
    /// connection under every member's number): it is behind by the
    /// recoveries that succeeded since (two standing for two or more).
    pub fn member_since(&self, seen: u64) -> Member {
        let behind = u64::from(self.last_success_epoch > seen)
            + u64::from(self.previous_success_epoch > seen);
        Member {
            seen_epoch: seen,
            generation: self.generation.saturating_sub(behind),
        }
    }

    /// The kind of connection.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// What logs, events and metrics call the connection.
    pub fn connection(&self) -> &ConnectionInfo {
        &self.connection
    }

    /// Whether the file was opened `O_APPEND`.
    pub fn is_append(&self) -> bool {
        self.append
    }

    /// How results are classified.
    pub fn classifier(&self) -> Classifier {
        self.classifier
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// What recovery has done so far.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Recovery cycles ended so far.
    #[inline]
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// Successful recoveries so far.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether a recovery is in flight.
    pub fn is_recovering(&self) -> bool {
        self.flight.is_some()
    }

    /// The group's unanswered bytes (sockets).
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The ledger, to count what a member sent and read.
    #[inline]
    pub fn ledger_mut(&mut self) -> &mut Ledger {
        &mut self.ledger
    }

    /// Suspends recovery (`HA_RECOVERY_SUSPEND`): failures are returned as they come.
    pub fn suspend(&mut self) {
        self.counters.suspended = true;
    }

    /// Enables recovery again (`HA_RECOVERY_ENABLE`).
    pub fn enable(&mut self) {
        self.counters.suspended = false;
    }

    /// Whether recovery is suspended.
    pub fn is_suspended(&self) -> bool {
        self.counters.suspended
    }

    /// The most attempts one failure may use (`HA_RECOVERY_ICOUNT`); `None` is unlimited.
    pub fn set_attempt_limit(&mut self, limit: Option<u32>) {
        self.policy.attempts = limit;
    }

    /// The most recoveries in all (`HA_RECOVERY_ACOUNT`); `None` is unlimited.
    pub fn set_total_limit(&mut self, limit: Option<u32>) {
        self.policy.total = limit;
    }

    /// How long one failure may take to recover; `None` is no deadline.
    pub fn set_deadline(&mut self, deadline: Option<Duration>) {
        self.policy.deadline = deadline;
    }

    /// Forgets the attempts used on the current failure (`HA_RECOVERY_RESET_ICOUNT`).
    pub fn reset_attempts(&mut self) {
        self.counters.attempts_used = 0;
    }

    /// Forgets the recoveries counted against the total (`HA_RECOVERY_RESET_ACOUNT`).
    pub fn reset_total(&mut self) {
        self.counters.recoveries_used = 0;
    }

    /// Says what `member` does: `failed` is its operation's failure, or `None`
    /// before running an operation when the member has not seen the latest
    /// epoch (it only catches up).
    pub fn settle(
        &mut self,
        member: &mut Member,
        failed: Option<Failed<'_>>,
        now: Instant,
    ) -> Role {
        if member.seen_epoch != self.epoch {
            // A cycle ended since this member's operation began: one recovery
            // serves every member.
            member.seen_epoch = self.epoch;
            if member.generation != self.generation {
                return Role::Move;
            }
            if failed.is_some() {
                // The cycles since gave up: so does this operation.
                return Role::Unrecovered(self.stats.last_give_up.clone());
            }
        }
        let Some(failed) = failed else {
            return Role::Run;
        };
        if failed.inside_recovery {
            return Role::Unrecovered(Some(Arc::new(RecoveryError::Recursive)));
        }
        if self.flight.is_some() {
            return Role::Wait;
        }
        self.begin(member, &failed, now)
    }

    fn begin(&mut self, member: &mut Member, failed: &Failed<'_>, now: Instant) -> Role {
        self.stats.failures += 1;
        self.stats.last_errno = failed.cause.errno();
        if self.listening() {
            self.outage = Some(Arc::new(Outage::new(
                Arc::clone(&self.connection),
                failed.descriptor,
                failed.cause.copy(),
                self.generation,
            )));
        }
        self.record(|| What::Failed);
        // Every member whose operation was sent again on the connection the
        // latest recovery made goes on with its failure, not only the first
        // to report that the connection died at once: the carry stays until
        // the next recovery replaces it.
        let carry = self
            .carry
            .filter(|(generation, _)| {
                failed.retransmission
                    && *generation == self.generation
                    && member.generation == self.generation
            })
            .map(|(_, carry)| carry);
        let cycle = match &carry {
            Some(carry) => Cycle::resume(
                carry,
                &self.policy,
                &mut self.counters,
                &mut self.backoff,
                now,
            ),
            None => Cycle::begin(&self.policy, &self.counters, &mut self.backoff, now),
        };
        match cycle {
            Ok(cycle) => {
                self.flights += 1;
                self.flight = Some(self.flights);
                Role::Recover(Recovery::new(
                    self.flights,
                    cycle,
                    self.policy.progress.first,
                    now,
                ))
            }
            Err(reason) => {
                let reason = self.gave_up(reason, now, now);
                // The cycle that gave up was this member's own.
                member.seen_epoch = self.epoch;
                Role::Unrecovered(Some(reason))
            }
        }
    }

    /// Ends the cycle in flight (or one refused at once) without a connection.
    pub(crate) fn gave_up(
        &mut self,
        reason: RecoveryError,
        began: Instant,
        now: Instant,
    ) -> Arc<RecoveryError> {
        let reason = Arc::new(reason);
        // The operations under way are told the exchange failed: what they
        // sent must not reach a later connection behind their callers' backs.
        self.ledger.forget_copy();
        self.stats.gave_up += 1;
        let elapsed = now.saturating_duration_since(began);
        self.stats.disconnected += elapsed;
        self.stats.last_give_up = Some(Arc::clone(&reason));
        self.record(|| What::GaveUp {
            reason: Arc::clone(&reason),
            elapsed,
        });
        self.end_cycle();
        reason
    }

    pub(crate) fn end_cycle(&mut self) {
        self.epoch += 1;
        self.flight = None;
        self.outage = None;
    }

    /// Whether anyone hears of events: a sink, or the logs and metrics the
    /// crate was built with.
    fn listening(&self) -> bool {
        self.sink.is_some() || cfg!(feature = "tracing") || cfg!(feature = "metrics")
    }

    /// Records an event for delivery, when anyone listens: about the recovery
    /// in flight, if there is one.
    pub(crate) fn record(&mut self, what: impl FnOnce() -> What) {
        if !self.listening() {
            return;
        }
        let scope = match &self.outage {
            Some(outage) => Scope::Recovery(Arc::clone(outage)),
            None => Scope::Connection(Arc::clone(&self.connection)),
        };
        self.events.push(Recorded {
            scope,
            what: what(),
        });
    }

    /// The events recorded since the last call, to be delivered once no lock
    /// is held.
    #[inline]
    pub fn take_events(&mut self) -> Events {
        if self.events.is_empty() {
            return Events::default();
        }
        Events::new(self.sink.clone(), std::mem::take(&mut self.events))
    }

    /// Tells every event from now on to `sink` (or to no one).
    pub fn set_sink(&mut self, sink: Option<EventSink>) {
        self.sink = sink;
    }

    /// Ends a recovery whose driver is gone: a process that forked while
    /// another thread recovered has no such thread in the child. Counted as a
    /// recovery that gave up ([`RecoveryError::Cancelled`]).
    pub fn forget_flight(&mut self, now: Instant) {
        if self.flight.is_some() {
            self.gave_up(RecoveryError::Cancelled, now, now);
        }
    }

    /// What becomes of `member`'s operation `op` once the member has moved to
    /// the connection the latest recovery made. `cause` is the failure of the
    /// operation if it was under way on the dead connection (`None` for an
    /// operation that had not run yet: it just runs).
    pub fn decide(&mut self, member: &mut Member, op: OpInfo, cause: Option<Cause>) -> Next {
        // The latest recovery's facts are about the connection it replaced:
        // an operation that died on an earlier one has none left.
        let known = member.generation + 1 == self.generation;
        member.generation = self.generation;
        member.seen_epoch = self.epoch;
        let Some(cause) = cause else {
            return Next::Resend;
        };
        let mut resume =
            if self.kind == Kind::File && self.append && op.kind == OpKind::WriteAt && op.len > 0 {
                // Linux appends a pwrite to a file opened O_APPEND wherever its
                // offset says: sent again, one that landed before the death
                // would be a second record, and the size cannot tell, since a
                // pwrite leaves the position (the baseline) where it was.
                Resume::Indeterminate(op.len as u64)
            } else if known {
                after_recovery(
                    self.kind,
                    op,
                    self.policy.write_policy,
                    self.found.file,
                    self.found.stream,
                )
            } else {
                facts_lost(self.kind, op)
            };
        if let Resume::Landed(_) = resume {
            // The file grew by one write's worth, but several appends may have
            // been under way; only the first can take the growth as its own.
            if std::mem::replace(&mut self.found.append_claimed, true) {
                resume = Resume::Indeterminate(op.len as u64);
            }
        }
        match resume {
            Resume::Resend => {
                if op.kind.writes() && op.len > 0 {
                    self.record(|| What::Retransmitted {
                        bytes: op.len as u64,
                    });
                }
                Next::Resend
            }
            Resume::Landed(n) => Next::Landed(n),
            Resume::Indeterminate(unanswered) => {
                self.stats.indeterminate += 1;
                self.record(|| What::Indeterminate { unanswered });
                Next::Fail(io::Error::other(Indeterminate {
                    unanswered,
                    errno: cause.errno(),
                }))
            }
        }
    }

    /// What becomes of operation `op`, which failed with `cause` on a
    /// connection a recovery has replaced since, by a member that did not
    /// take part (a call through a shared reference, whose cover another
    /// thread moved meanwhile). `on` is the generation of the connection it
    /// failed on, when known: the latest recovery's facts are about the one
    /// just before it. `position_kept_since` says every recovery since that
    /// connection's put the file position where the dead one had it.
    pub fn decide_replaced(
        &mut self,
        on: Option<u64>,
        position_kept_since: bool,
        op: OpInfo,
        cause: Cause,
    ) -> Next {
        let mut on = on.unwrap_or(self.generation);
        if self.kind == Kind::File && !self.append && position_kept_since {
            // A write at the shared position that failed did not move it,
            // and each recovery since carried it over: the position the
            // writes since left is past where it failed, so sent again there
            // it lands once and covers whatever it left on its dead server,
            // as after the latest recovery alone.
            on = self.generation.saturating_sub(1);
        }
        let mut member = Member {
            seen_epoch: self.epoch,
            // Not one behind when unknown: the facts are not this connection's.
            generation: on,
        };
        self.decide(&mut member, op, Some(cause))
    }

    /// Whether the latest recovery put a file's position where the dead
    /// connection had it.
    pub fn kept_position(&self) -> bool {
        self.found.file.position_kept
    }

    /// The result of an operation that failed and was not recovered: its own
    /// error, as the system gave it (or, under `wrap_errors`, wrapped with the
    /// reason), or end-of-file for a read that met one.
    pub fn unrecovered(&self, cause: Cause, reason: Option<Arc<RecoveryError>>) -> Next {
        match cause {
            Cause::Eof => Next::Eof,
            Cause::Error(original) => match reason {
                Some(reason) if self.policy.wrap_errors => Next::Fail(io::Error::new(
                    original.kind(),
                    Unrecovered { original, reason },
                )),
                _ => Next::Fail(original),
            },
        }
    }

    /// Records the end of a successful recovery: the cycle's bookkeeping, the
    /// facts for the decisions, the ledger's conclusion.
    pub(crate) fn recovered(
        &mut self,
        cycle: &mut Cycle,
        found: Found,
        began: Instant,
        now: Instant,
    ) {
        let carry = cycle.succeeded(&mut self.counters, &mut self.backoff, now);
        self.stats.recoveries += 1;
        let downtime = now.saturating_duration_since(began);
        self.stats.disconnected += downtime;
        let attempts = cycle.attempts();
        self.record(|| What::Recovered { attempts, downtime });
        self.found = found;
        if self.kind == Kind::Socket
            && ((found.stream.unanswered > 0 && !found.stream.replayed)
                || self.policy.write_policy == WritePolicy::Always)
        {
            // What was sent and not sent again is lost with the connection: the
            // operations under way are told so (decide), later ones start afresh.
            self.ledger.answered();
        }
        // The new connection is at the end of the file, unless the file is
        // read too and the recovery put it where the reads were.
        self.seeked = self.append && found.off_end;
        self.generation += 1;
        self.carry = Some((self.generation, carry));
        self.end_cycle();
        self.previous_success_epoch = self.last_success_epoch;
        self.last_success_epoch = self.epoch;
    }

    /// The facts a recovery about to install a new connection found.
    pub(crate) fn found(&self, restored: &crate::recovery::Restored) -> Found {
        let mut found = Found::default();
        if self.kind == Kind::File {
            if self.append {
                // After a seek the dead connection's position is not where
                // the last append ended: no "did it land" from the size.
                let before = restored.dead_position.filter(|_| !self.seeked);
                found.file.append = before.zip(restored.end);
                found.off_end = restored.position.is_some() && restored.position != restored.end;
            } else {
                found.file.position_kept =
                    restored.dead_position.is_some() && restored.position == restored.dead_position;
            }
        } else {
            let unanswered = self.ledger.unanswered();
            found.stream = StreamFacts {
                unanswered,
                replayed: unanswered > 0
                    && self.policy.write_policy == WritePolicy::Replay
                    && self.ledger.replayable().is_some(),
            };
        }
        found
    }
}

/// What becomes of an operation whose connection was replaced by a recovery
/// before the latest one, whose facts are gone: what repeats exactly is sent
/// again (reads and positioned writes of a file, seeks, syncs, flushes);
/// whether a write reached the server, or an answer is still to come, is
/// unknown.
fn facts_lost(kind: Kind, op: OpInfo) -> Resume {
    let repeats = match kind {
        Kind::File => op.kind != OpKind::Write || op.len == 0,
        Kind::Socket => op.kind == OpKind::Flush,
    };
    if repeats {
        Resume::Resend
    } else {
        Resume::Indeterminate(op.len as u64)
    }
}

/// Counts an operation's own bytes in a group's ledger: what a socket member
/// sent, and whether a read answered.
impl Group {
    /// A seek succeeded (front ends tell only an append-mode file's).
    pub fn note_seek(&mut self) {
        self.seeked = self.append;
    }

    /// A read on a socket returned `n` bytes.
    #[inline]
    pub fn note_read(&mut self, n: usize) {
        if n > 0 {
            self.ledger.answered();
        }
    }

    /// A write on a socket sent `bytes`.
    #[inline]
    pub fn note_sent(&mut self, bytes: &[u8]) {
        self.ledger.sent(bytes);
    }
}

impl std::fmt::Debug for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Group")
            .field("kind", &self.kind)
            .field("epoch", &self.epoch)
            .field("generation", &self.generation)
            .field("recovering", &self.flight.is_some())
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}
