//! What the simulated front end keeps: each member's connection and the state
//! of its current operation (the sync cover's loop, unrolled into states so
//! that the scheduler can interleave members between any two of its steps),
//! and the group's own part (the sync cover's `Ext`).

use std::time::Instant;

use ha_cover_engine::{Cause, Recovery};

use super::conns::{Conns, Fd};
use super::ops::{Op, Pending};
use super::recovery_fns::RecoveryFn;

pub struct Member {
    /// A recovery task of the tokio cover, not a cover: it holds a duplicate
    /// of the dead connection.
    pub actor: bool,
    pub view: ha_cover_engine::Member,
    pub conn: Fd,
    /// The connection this member left for a new one, closed once the
    /// operation has run again (as `Settle::retired`).
    pub retired: Option<Fd>,
    pub state: State,
}

pub enum State {
    Idle,
    /// Run the operation (a dup'ed member catches up first).
    Run(Task),
    /// Run it again at once: it was interrupted.
    Again(Task),
    /// Applied by the server; its answer comes next.
    Running(Task, Pending),
    /// A socket read waiting for the server.
    Blocked(Task),
    /// It failed: settle with the group.
    Settle(Task, Cause),
    /// Another member recovers: wait until its cycle ends.
    Waiting(Task, Cause),
    Recovering(Task, Cause, Box<Drive>),
    /// A recovery task drives the recovery.
    Task(Cause, Box<Drive>),
    /// The client waits a little after an error before its next call.
    Pause(Instant),
    /// Dropped.
    Gone,
}

/// One operation of a member, from its call to its return.
#[derive(Debug)]
pub struct Task {
    pub op: Op,
    pub track: Track,
}

/// What the checks follow of a task.
#[derive(Debug)]
pub struct Track {
    pub member: usize,
    pub id: u64,
    /// A positioned read or write (`pread`, `pwrite`).
    pub positioned: bool,
    /// It is being sent again after a recovery.
    pub retransmission: bool,
    /// The epoch was checked; the system call comes next.
    pub checked: bool,
    /// Its failure was reported once already (the tokio cover tells only
    /// the first report that it was a retransmission).
    pub reported: bool,
    pub began: Instant,
    /// The server's deaths by faults when it began.
    pub deaths_at_start: u64,
    /// Bytes of it the server wrote, over all its runs (writes).
    pub applied: u64,
    /// Where it was first written (a sequential write).
    pub first_offset: Option<u64>,
    /// The description it last ran on.
    pub last_desc: usize,
    /// The C ABI: the group's epoch when it (last) began to run...
    pub seen: u64,
    /// ...and the view of it settling its failure is made from.
    pub view: Option<ha_cover_engine::Member>,
}

/// A recovery a member drives (the sync cover's `drive`).
pub struct Drive {
    pub recovery: Recovery,
    pub watcher: Option<Watcher>,
    /// The connection the recovery function returned, until installed.
    pub fresh: Option<Fd>,
    /// It was put elsewhere than the dead connection's position, by the
    /// recovery function's design (`ReopenNoSeek`).
    pub elsewhere: bool,
    /// The description of the connection it replaces: the dead one's, or
    /// (the C ABI) the one whose position an earlier recovery kept.
    pub replaced: usize,
    /// The description of the dead connection it began with.
    pub dead_desc: usize,
    /// The dead connection's position, read before the first attempt.
    pub dead_position: Option<u64>,
    /// The C ABI: a duplicate of the dead descriptor, to tell whether the
    /// recovery function changed anything.
    pub dead_copy: Option<Fd>,
    /// Asleep until then (`Action::Wait`), unless the watcher sees the
    /// server come back.
    pub sleep_until: Option<Instant>,
    /// No action asked yet.
    pub first: bool,
    /// The failure is not a retransmission's: its first attempt is due at once.
    pub fresh_failure: bool,
    /// The cycle goes on with a failure a recovery did not end (its
    /// retransmission failed at once): its first attempt waits a backoff
    /// step from then.
    pub paced_from: Option<std::time::Instant>,
}

/// What a watcher sees: the server's restarts since it was opened.
#[derive(Clone, Copy, Debug)]
pub struct Watcher {
    pub sees_changes: bool,
    pub seen: u64,
}

impl Member {
    pub fn task(&self) -> Option<&Task> {
        match &self.state {
            State::Run(t)
            | State::Again(t)
            | State::Running(t, _)
            | State::Blocked(t)
            | State::Settle(t, _)
            | State::Waiting(t, _)
            | State::Recovering(t, _, _) => Some(t),
            State::Idle | State::Pause(_) | State::Task(..) | State::Gone => None,
        }
    }

    pub fn is_gone(&self) -> bool {
        matches!(self.state, State::Gone)
    }

    /// The descriptors it holds.
    pub fn held(&self) -> impl Iterator<Item = Fd> + '_ {
        let conn = (!self.is_gone()).then_some(self.conn);
        let (fresh, dead_copy) = match &self.state {
            State::Recovering(_, _, drive) | State::Task(_, drive) => {
                (drive.fresh, drive.dead_copy)
            }
            _ => (None, None),
        };
        conn.into_iter()
            .chain(self.retired)
            .chain(fresh)
            .chain(dead_copy)
    }
}

/// The group's part that is the front end's own.
pub struct Ext {
    /// The connection the latest recovery made, until every member has moved.
    pub latest: Option<Fd>,
    /// Members that have still to move to `latest`.
    pub behind: usize,
    /// The C ABI: where the dead connection was (and its description), kept
    /// by a recovery whose function put another connection under the numbers
    /// that failed, for the next recovery should this one give up.
    pub dead: Option<(u64, usize)>,
    pub recovery: RecoveryFn,
    /// A dup was made: members catch up before each operation (a sole
    /// cover's group is its own and needs no check).
    pub shared: bool,
}

impl Ext {
    /// Makes `fresh` the connection all `members` move to.
    pub fn install(&mut self, conns: &mut Conns, fresh: Fd, members: usize) {
        self.behind = members;
        if let Some(previous) = self.latest.replace(fresh) {
            conns.close(previous);
        }
    }

    /// A member's own connection to the newest one: the group's copy for the
    /// last member to move, a duplicate for the others.
    pub fn take_latest(&mut self, conns: &mut Conns) -> Fd {
        let latest = self.latest.expect("a recovery made one");
        let own = if self.behind <= 1 {
            self.latest.take().expect("checked")
        } else {
            conns.dup(latest)
        };
        self.behind = self.behind.saturating_sub(1);
        own
    }

    /// A member left before moving to `latest`.
    pub fn member_left(&mut self, conns: &mut Conns, was_behind: bool) {
        if was_behind {
            self.behind = self.behind.saturating_sub(1);
            if self.behind == 0
                && let Some(copy) = self.latest.take()
            {
                conns.close(copy);
            }
        }
    }
}
