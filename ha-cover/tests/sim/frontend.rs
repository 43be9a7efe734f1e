//! The simulated front end's cover loop: run an operation, classify its
//! result, and after a failure follow the engine's protocol (move to a new
//! connection, wait for another member's recovery, or drive one), exactly as
//! the sync cover does (`Cover::perform_*`, `driver::Settle`). Each call here
//! is one step of one member; the scheduler interleaves the others between.

use std::io;

use ha_cover_engine::{Cause, Classified, Failed, Next, Probe, Role};

use super::member::{Drive, Member, State, Task};
use super::ops::{Op, Started};
use super::setup::Flavor;
use super::world::World;

/// What the kernel says about a descriptor when an error is ambiguous.
struct SimProbe {
    alive: bool,
}

impl Probe for SimProbe {
    fn status_flags(&self) -> Option<i32> {
        Some(libc::O_RDWR)
    }

    fn ask_server(&self) -> Option<Result<(), i32>> {
        Some(if self.alive {
            Ok(())
        } else {
            Err(libc::ENOTCONN)
        })
    }
}

/// How an operation ended, as its caller sees it.
#[derive(Debug)]
pub enum Outcome {
    Ok(u64),
    /// A failed write that had landed (`Next::Landed`).
    Landed(u64),
    Err(io::Error),
    /// End-of-file, as the failed read met it (`Next::Eof`).
    Eof,
}

impl World {
    /// One step of member `m`.
    pub fn step_member(&mut self, m: usize) {
        let state = std::mem::replace(&mut self.members[m].state, State::Idle);
        let next = match state {
            State::Idle => self.idle(m),
            State::Run(task) => self.run(m, task, true),
            State::Again(task) => self.run(m, task, false),
            State::Running(task, pending) => {
                let result = self.finish_op(&task.track, pending);
                self.classify(m, task, result)
            }
            State::Blocked(task) => {
                // The read goes on on the connection it began on, even if a
                // recovery put another one under the member's number since.
                let d = task.track.last_desc;
                let Op::Recv { len, .. } = task.op else {
                    unreachable!("only a socket read blocks")
                };
                match self.recv(m, d, len) {
                    Started::Done(result) => self.classify(m, task, result),
                    _ => State::Blocked(task),
                }
            }
            State::Settle(task, cause) | State::Waiting(task, cause) => self.settle(m, task, cause),
            State::Recovering(task, cause, mut drive) => {
                if self.drive(m, &mut drive) {
                    State::Settle(task, cause)
                } else {
                    State::Recovering(task, cause, drive)
                }
            }
            State::Task(cause, mut drive) => {
                if self.drive(m, &mut drive) {
                    // The task ends, and its duplicate of the dead
                    // connection with it.
                    self.conns.close(self.members[m].conn);
                    State::Gone
                } else {
                    State::Task(cause, drive)
                }
            }
            State::Pause(_) => State::Idle,
            State::Gone => State::Gone,
        };
        self.members[m].state = next;
    }

    /// Runs the operation; a dup'ed member first catches up with a recovery
    /// made since its last operation (`catch_up`, unless it was interrupted
    /// and runs again in place).
    fn run(&mut self, m: usize, mut task: Task, catch_up: bool) -> State {
        if self.holds_back(&task) {
            return State::Run(task);
        }
        let now = self.clock.now();
        let c = self.setup.flavor == Flavor::C;
        let member = &mut self.members[m];
        if c && !task.track.retransmission {
            // The C ABI reads the epoch as the call begins; its number is
            // already whatever connection the group has.
            task.track.seen = self.group.epoch();
        }
        let check = !c && catch_up && self.ext.shared && !task.track.checked;
        if check && self.group.epoch() != member.view.seen_epoch() {
            match self.group.settle(&mut member.view, None, now) {
                Role::Run => {}
                Role::Move => {
                    let member = &mut self.members[m];
                    let own = self.ext.take_latest(&mut self.conns);
                    let old = std::mem::replace(&mut member.conn, own);
                    // The connection left here is closed at once; one a
                    // failure left waits for the operation to run again.
                    self.conns.close(old);
                    let next = self.group.decide(&mut member.view, task.op.info(), None);
                    if !matches!(next, Next::Resend) {
                        self.violation(
                            "protocol",
                            format!("catching up before an operation decided {next:?}"),
                        );
                    }
                    self.trace(|| format!("m{m}: catches up with the new connection"));
                }
                role => self.violation("protocol", format!("catching up gave {role:?}")),
            }
        }
        if check {
            // The system call comes in a step of its own: the covers check
            // the epoch without a lock, and a recovery may end in between.
            task.track.checked = true;
            return State::Run(task);
        }
        task.track.checked = false;
        let fd = self.members[m].conn;
        if self.setup.kind == ha_cover_engine::Kind::File
            && task.op.moves_position()
            && self.conns.desc(fd).busy
        {
            // Another member's operation holds the position; come back.
            return State::Run(task);
        }
        task.track.reported = false;
        let started = self.start_op(fd, &task.op, &mut task.track);
        if let Some(retired) = self.members[m].retired.take() {
            self.conns.close(retired);
        }
        match started {
            Started::Done(result) => self.classify(m, task, result),
            Started::Pending(pending) => {
                if task.op.moves_position() {
                    self.conns.descs[pending.desc].busy = true;
                }
                State::Running(task, pending)
            }
            Started::Blocked => State::Blocked(task),
        }
    }

    fn classify(&mut self, m: usize, task: Task, result: io::Result<u64>) -> State {
        let d = task.track.last_desc;
        if task.op.moves_position() {
            self.conns.descs[d].busy = false;
        }
        let probe = SimProbe {
            alive: self.server.alive(&self.conns.descs[d]),
        };
        let op = &task.op;
        let classified = self.group.classifier().classify(
            result,
            |n| op.is_eof(*n),
            op.info().kind,
            self.setup.kind,
            &probe,
        );
        match classified {
            Classified::Done(n)
                if matches!(task.op, Op::Seek(_))
                    && self.setup.flavor != Flavor::C
                    && self.ext.shared
                    && self.group.epoch() != self.members[m].view.seen_epoch() =>
            {
                // A recovery ended while the seek ran: it may have moved the
                // connection the recovery replaced. The covers make it again,
                // to where it went, on the new one (`seek_again`).
                let mut task = task;
                task.op = Op::Seek(std::io::SeekFrom::Start(n));
                self.trace(|| format!("m{m}: seeks again on the new connection"));
                State::Run(task)
            }
            Classified::Done(n) => {
                // A socket's traffic goes in the group's ledger (the covers'
                // `Operation::record`).
                match &task.op {
                    Op::Send { data, .. } => self.group.note_sent(&data[..n as usize]),
                    Op::Recv { .. } => self.group.note_read(n as usize),
                    // As the covers' seeks tell an append-mode file's group.
                    Op::Seek(from)
                        if !matches!(
                            from,
                            std::io::SeekFrom::Current(0) | std::io::SeekFrom::End(0)
                        ) =>
                    {
                        self.group.note_seek()
                    }
                    _ => {}
                }
                self.complete(m, task, Outcome::Ok(n))
            }
            // The C ABI returns EINTR to its caller, as libc would.
            Classified::Again if self.setup.flavor == Flavor::C => self.complete(
                m,
                task,
                Outcome::Err(io::Error::from_raw_os_error(libc::EINTR)),
            ),
            Classified::Again => State::Again(task),
            Classified::Pass(e) => self.complete(m, task, Outcome::Err(e)),
            Classified::Failed(cause) => {
                self.trace(|| format!("m{m}: {:?} failed: {cause:?}", task.op.name()));
                State::Settle(task, cause)
            }
        }
    }

    /// Reports the failure to the group and does what it says.
    fn settle(&mut self, m: usize, mut task: Task, cause: Cause) -> State {
        let now = self.clock.now();
        let c = self.setup.flavor == Flavor::C;
        if c && task.track.view.is_none() {
            // The C ABI's members all move at once: a call's view is made
            // from the epoch it began at.
            task.track.view = Some(self.group.member_since(task.track.seen));
        }
        let info = task.op.info();
        // The tokio cover tells only the first report of a failure that it
        // was a retransmission's.
        let retransmission = task.track.retransmission
            && !(self.setup.flavor == Flavor::Async && task.track.reported);
        task.track.reported = true;
        let failed = Failed {
            op: info,
            cause: &cause,
            retransmission,
            inside_recovery: false,
            descriptor: None,
        };
        let member = &mut self.members[m];
        let view = task.track.view.as_mut().unwrap_or(&mut member.view);
        let failures = self.group.stats().failures;
        // The engine goes on with the failure of the latest recovery when the
        // operation it sent again fails at once on its connection.
        let carried =
            self.carry_open && retransmission && view.generation() == self.group.generation();
        let role = self.group.settle(view, Some(failed), now);
        let counted = self.group.stats().failures - failures;
        let expected = match role {
            Role::Recover(_) => 1..=1,
            Role::Unrecovered(_) => 0..=1,
            _ => 0..=0,
        };
        if !expected.contains(&counted) {
            self.violation(
                "stats",
                format!("m{m}: settling counted {counted} failure(s) for {role:?}"),
            );
        }
        match role {
            Role::Run => {
                self.violation("protocol", "a failure was told to just run".into());
                State::Idle
            }
            Role::Move if c => {
                // The number already is the new connection.
                let view = task.track.view.as_mut().expect("made above");
                let errno = cause.errno();
                let next = self.group.decide(view, info, Some(cause));
                self.trace(|| format!("m{m}: decides: {next:?}"));
                self.follow_c(m, task, next, errno)
            }
            Role::Move => {
                let member = &mut self.members[m];
                let own = self.ext.take_latest(&mut self.conns);
                let old = std::mem::replace(&mut member.conn, own);
                debug_assert!(member.retired.is_none());
                member.retired = Some(old);
                let next = self.group.decide(&mut member.view, info, Some(cause));
                self.trace(|| format!("m{m}: moves to the new connection: {next:?}"));
                self.follow(m, task, next)
            }
            Role::Wait => State::Waiting(task, cause),
            Role::Recover(recovery) => {
                self.recovery_begins(m);
                // The tokio cover's recovery task has a duplicate of the dead
                // connection of its own; the member waits for it.
                let spawn = self.setup.flavor == Flavor::Async;
                let dead = if spawn {
                    self.conns.dup(self.members[m].conn)
                } else {
                    self.members[m].conn
                };
                let kept = if c { self.ext.dead } else { None };
                let dead_position = (self.setup.kind == ha_cover_engine::Kind::File)
                    .then(|| kept.map_or(self.conns.desc(dead).pos, |(at, _)| at));
                let dead_copy = c.then(|| self.conns.dup(dead));
                let drive = Box::new(Drive {
                    recovery,
                    replaced: kept.map_or(self.conns.desc_of(dead), |(_, desc)| desc),
                    dead_desc: self.conns.desc_of(dead),
                    watcher: None,
                    fresh: None,
                    elsewhere: false,
                    dead_position,
                    dead_copy,
                    sleep_until: None,
                    first: true,
                    fresh_failure: !retransmission,
                    paced_from: carried.then_some(now),
                });
                if spawn {
                    let view = self.members[m].view;
                    self.members.push(Member {
                        actor: true,
                        view,
                        conn: dead,
                        retired: None,
                        state: State::Task(cause.copy(), drive),
                    });
                    let actor = self.members.len() - 1;
                    self.trace(|| format!("m{m}: spawns recovery task m{actor}"));
                    return State::Waiting(task, cause);
                }
                State::Recovering(task, cause, drive)
            }
            Role::Unrecovered(reason) if c => {
                // The C ABI returns the call's own errno (or end-of-file).
                self.trace(|| format!("m{m}: not recovered: {reason:?}"));
                let outcome = match cause.errno() {
                    Some(errno) => Outcome::Err(io::Error::from_raw_os_error(errno)),
                    None => Outcome::Eof,
                };
                self.complete(m, task, outcome)
            }
            Role::Unrecovered(reason) => {
                self.trace(|| format!("m{m}: not recovered: {reason:?}"));
                let errno = cause.errno();
                let next = self.group.unrecovered(cause, reason);
                // The caller gets the error it would have had without the
                // cover: the same errno.
                if let Next::Fail(e) = &next
                    && ha_cover_engine::os_error(e) != errno
                {
                    self.violation(
                        "errno",
                        format!("m{m}: an unrecovered failure with errno {errno:?} returns {e:?}"),
                    );
                }
                self.follow(m, task, next)
            }
        }
    }

    /// Does what the engine decided about a call of the C ABI; `errno` is
    /// its failure's.
    fn follow_c(&mut self, m: usize, mut task: Task, next: Next, errno: Option<i32>) -> State {
        let view = task.track.view.take().expect("settled from a view");
        let outcome = match next {
            Next::Resend => {
                self.app_resend(&task);
                task.track.retransmission = true;
                task.track.seen = view.seen_epoch();
                return State::Run(task);
            }
            Next::Landed(n) => Outcome::Landed(n as u64),
            Next::Fail(e) => {
                if ha_cover_engine::is_indeterminate(&e) {
                    self.tally.indeterminate += 1;
                }
                let errno = e.raw_os_error().or(errno).unwrap_or(libc::ECONNRESET);
                Outcome::Err(io::Error::from_raw_os_error(errno))
            }
            Next::Eof => Outcome::Eof,
        };
        self.complete(m, task, outcome)
    }

    /// Does what the engine decided about an operation.
    fn follow(&mut self, m: usize, mut task: Task, next: Next) -> State {
        let outcome = match next {
            Next::Resend => {
                self.app_resend(&task);
                task.track.retransmission = true;
                return State::Run(task);
            }
            Next::Landed(n) => Outcome::Landed(n as u64),
            Next::Fail(e) => {
                if ha_cover_engine::is_indeterminate(&e) {
                    self.tally.indeterminate += 1;
                }
                Outcome::Err(e)
            }
            Next::Eof => Outcome::Eof,
        };
        if let Some(retired) = self.members[m].retired.take() {
            self.conns.close(retired);
        }
        self.complete(m, task, outcome)
    }
}
