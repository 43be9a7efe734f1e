//! Driving one recovery, one action per step (the sync cover's `drive`):
//! watch for the server, wait, call the recovery function and put what it
//! returned in place, replay the unanswered bytes, install the new connection.
//! Every decision is the engine's.

use std::io;
use std::time::Instant;

use ha_cover_engine::{Action, AttemptError, Kind, Restored, WaitingFor};

use super::conns::Fd;
use super::member::{Drive, Watcher};
use super::recovery_fns::Returned;
use super::setup::Flavor;
use super::world::World;

impl World {
    /// One action of the recovery member `m` drives (or, for the tokio
    /// cover, the recovery task `m` is): true once the cycle ended. `m`'s
    /// connection is the dead one.
    pub fn drive(&mut self, m: usize, drive: &mut Drive) -> bool {
        let now = self.clock.now();
        if drive.sleep_until.take().is_some() {
            let woken = self.watcher_woken(drive);
            drive.recovery.waited(woken, now);
            return false;
        }
        let action = drive.recovery.next(&mut self.group, now);
        if std::mem::take(&mut drive.first)
            && drive.fresh_failure
            && matches!(action, Action::Watch | Action::Wait(_))
        {
            self.violation(
                "first attempt waits",
                format!(
                    "the first attempt of a new failure waits: {action:?} (the server may be back)"
                ),
            );
        }
        self.trace(|| format!("m{m}: recovery: {action:?}"));
        match action {
            Action::Done => {
                for fd in [drive.fresh.take(), drive.dead_copy.take()]
                    .into_iter()
                    .flatten()
                {
                    self.conns.close(fd);
                }
                return true;
            }
            Action::Watch => {
                let watcher = Watcher {
                    sees_changes: self.setup.watchable,
                    seen: self.server.restarts,
                };
                drive.watcher = Some(watcher);
                drive.recovery.watching(
                    if watcher.sees_changes {
                        WaitingFor::Mount
                    } else {
                        WaitingFor::Timer
                    },
                    now,
                );
            }
            Action::Wait(delay) => drive.sleep_until = Some(now + delay),
            Action::Attempt(attempt) => self.attempt(m, drive, attempt.deadline),
            Action::Replay => {
                let bytes = self
                    .group
                    .ledger()
                    .replayable()
                    .unwrap_or_default()
                    .to_vec();
                // The C ABI sends them on its number, the new connection.
                let fresh = match self.setup.flavor {
                    Flavor::Sync | Flavor::Async => drive.fresh.expect("restored before replay"),
                    Flavor::C => self.members[m].conn,
                };
                let result = self.send_all(fresh, &bytes);
                self.tally.replays += 1;
                if result.is_err() {
                    self.tally.attempt_failures += 1;
                }
                drive
                    .recovery
                    .replayed(&mut self.group, result, self.clock.now());
            }
            Action::Install if self.setup.flavor == Flavor::C => {
                self.carry_lost_appends(drive);
                // The numbers are the new connection already; it follows a
                // seek made on the dead one meanwhile (`cycle::follow_seeks`).
                let number = self.members[m].conn;
                if let Some(dead) = drive.dead_copy {
                    self.follow_seeks(dead, number, drive.dead_position);
                }
                self.ext.dead = None;
                self.installed(drive.replaced, number, drive.elsewhere);
                self.carry_open = true;
                drive.recovery.installed(&mut self.group, self.clock.now());
            }
            Action::Install => {
                let fresh = drive.fresh.take().expect("restored before install");
                let dead = self.members[m].conn;
                self.follow_seeks(dead, fresh, drive.dead_position);
                // Every cover moves to it (a recovery task is not one).
                let members = if self.ext.shared {
                    self.live_members()
                } else {
                    1
                };
                self.ext.install(&mut self.conns, fresh, members);
                self.installed(drive.replaced, fresh, drive.elsewhere);
                self.carry_open = true;
                drive.recovery.installed(&mut self.group, self.clock.now());
            }
        }
        false
    }

    /// Whether a sleeping recovery can go on: its time is up, or its watcher
    /// sees the server back.
    pub fn sleeper_ready(&self, drive: &Drive) -> bool {
        let Some(until) = drive.sleep_until else {
            return true;
        };
        self.clock.now() >= until
            || drive
                .watcher
                .is_some_and(|w| w.sees_changes && self.server.restarts > w.seen)
    }

    fn watcher_woken(&self, drive: &mut Drive) -> bool {
        match &mut drive.watcher {
            Some(w) if w.sees_changes && self.server.restarts > w.seen => {
                w.seen = self.server.restarts;
                true
            }
            _ => false,
        }
    }

    fn attempt(&mut self, m: usize, drive: &mut Drive, deadline: Option<Instant>) {
        self.tally.attempts += 1;
        if let Some(from) = drive.paced_from.take() {
            // Not before the first backoff step (jitter takes up to half),
            // unless the deadline cut the wait short: one attempt is made at
            // the deadline itself.
            let step = self.group.policy().backoff.first_step() / 2;
            let now = self.clock.now();
            let after = now - from;
            if after < step && deadline.is_none_or(|d| now < d) {
                self.violation(
                    "hammered",
                    format!(
                        "m{m}: a recovery that did not hold is attempted again after {after:?}, before the backoff's {step:?}"
                    ),
                );
            }
        }
        let dead = self.members[m].conn;
        let elsewhere = self.ext.recovery == super::recovery_fns::RecoveryFn::ReopenNoSeek;
        let returned = self.call_recovery(m, dead, drive.dead_position);
        let now = self.clock.now();
        if self.setup.flavor == Flavor::C {
            return self.attempted_c(m, drive, returned, elsewhere);
        }
        match returned {
            Returned::Conn(fd) => match self.place(dead, fd, drive.dead_position) {
                Ok(restored) => {
                    if let Some(previous) = drive.fresh.replace(fd) {
                        self.conns.close(previous);
                    }
                    drive.elsewhere = elsewhere;
                    if restored.unchanged {
                        self.tally.attempt_failures += 1;
                    }
                    drive.recovery.restored(&mut self.group, restored, now);
                }
                Err(e) => {
                    self.conns.close(fd);
                    self.tally.attempt_failures += 1;
                    drive
                        .recovery
                        .attempt_failed(&mut self.group, AttemptError::retry(e), now);
                }
            },
            Returned::Failed(error) => {
                if !error.is_give_up() {
                    self.tally.attempt_failures += 1;
                }
                drive.recovery.attempt_failed(&mut self.group, error, now);
            }
            Returned::Panicked(message) => drive.recovery.panicked(&mut self.group, message, now),
        }
    }

    /// The C ABI's attempt: the recovery function's `ha_reopen` has put the
    /// new connection under every member's number (or it returned the number
    /// unchanged); what the number is now is what it restored
    /// (`cycle::restored`).
    fn attempted_c(&mut self, m: usize, drive: &mut Drive, returned: Returned, elsewhere: bool) {
        let now = self.clock.now();
        let dead_copy = drive.dead_copy.expect("the C ABI keeps one");
        match returned {
            Returned::Conn(fresh) => {
                if self.conns.desc_of(fresh) != self.conns.desc_of(dead_copy) {
                    self.repoint(fresh);
                    if elsewhere && !self.setup.append {
                        // Every member is at the new connection's position
                        // from now on, and the client knows (see `installed`).
                        self.app.logical = self.conns.descs[self.conns.desc_of(fresh)].pos;
                    }
                }
                self.conns.close(fresh);
                drive.elsewhere = elsewhere;
                let number = self.members[m].conn;
                match self.restored_c(number, dead_copy, drive.dead_position) {
                    Ok(restored) => {
                        if restored.unchanged {
                            self.tally.attempt_failures += 1;
                        }
                        drive.recovery.restored(&mut self.group, restored, now);
                    }
                    Err(e) => {
                        if self.conns.desc_of(number) != self.conns.desc_of(dead_copy) {
                            // Should the recovery end without a connection, the
                            // next keeps the dead one's position, and with it
                            // what is unknown about the appends made there
                            // (`cycle::drive`).
                            self.ext.dead = drive.dead_position.map(|at| (at, drive.replaced));
                            self.carry_lost_appends(drive);
                        }
                        self.tally.attempt_failures += 1;
                        drive
                            .recovery
                            .attempt_failed(&mut self.group, AttemptError::retry(e), now);
                    }
                }
            }
            Returned::Failed(error) => {
                if !error.is_give_up() {
                    self.tally.attempt_failures += 1;
                }
                drive.recovery.attempt_failed(&mut self.group, error, now);
            }
            Returned::Panicked(_) => unreachable!("a C recovery function cannot panic"),
        }
    }

    /// Every member's number becomes a descriptor of `fresh`'s description
    /// (`repoint::repoint`, `dup3` onto each).
    fn repoint(&mut self, fresh: Fd) {
        for m in 0..self.members.len() {
            if !self.members[m].is_gone() {
                let number = self.conns.dup(fresh);
                let old = std::mem::replace(&mut self.members[m].conn, number);
                self.conns.close(old);
            }
        }
        self.trace(|| {
            "recovery function: ha_reopen puts the new connection under every member".into()
        });
    }

    /// What the number restored (`cycle::restored`): the dead connection
    /// unchanged, or a new one, an append-mode file's put at its end.
    fn restored_c(
        &mut self,
        number: Fd,
        dead: Fd,
        dead_position: Option<u64>,
    ) -> io::Result<Restored> {
        let mut restored = Restored {
            unchanged: self.conns.desc_of(number) == self.conns.desc_of(dead),
            dead_position,
            ..Restored::default()
        };
        if self.setup.kind == Kind::File {
            if self.setup.append {
                restored.end = Some(self.seek_to_end(number)?);
            } else {
                restored.position = Some(self.conns.desc(number).pos);
            }
        }
        Ok(restored)
    }

    /// `lseek(SEEK_END)`: the server says where the end is.
    fn seek_to_end(&mut self, fd: Fd) -> io::Result<u64> {
        let desc = self.conns.desc(fd);
        if !self.server.alive(desc) {
            return Err(io::Error::from_raw_os_error(libc::ENOTCONN));
        }
        if desc.doomed {
            self.crash();
            return Err(io::Error::from_raw_os_error(libc::ECONNABORTED));
        }
        let end = self.server.file.len() as u64;
        self.conns.desc_mut(fd).pos = end;
        Ok(end)
    }

    /// Puts a returned connection in place and says what it is (the sync
    /// cover's `place`): an append-mode file goes to its end, which needs the
    /// server (`SEEK_END`).
    fn place(&mut self, dead: Fd, fresh: Fd, dead_position: Option<u64>) -> io::Result<Restored> {
        let mut restored = Restored {
            unchanged: self.conns.desc_of(dead) == self.conns.desc_of(fresh),
            dead_position,
            ..Restored::default()
        };
        if self.setup.kind == Kind::File {
            if self.setup.append {
                restored.end = Some(self.seek_to_end(fresh)?);
            } else {
                restored.position = Some(self.conns.desc(fresh).pos);
            }
        }
        Ok(restored)
    }

    /// The C ABI, when a recovery goes on from a position an earlier one kept:
    /// the appends made on the connection it began with (put under the numbers
    /// after that position was read) grew the file since, and what is unknown
    /// about them goes with the kept description.
    fn carry_lost_appends(&mut self, drive: &Drive) {
        if drive.dead_desc != drive.replaced {
            let lost = std::mem::take(&mut self.conns.descs[drive.dead_desc].lost_appends);
            self.conns.descs[drive.replaced].lost_appends.extend(lost);
        }
    }

    /// A seek made on the dead connection `dead` while it was recovered is
    /// followed by the new one (`latest::follow_seeks`, `cycle::follow_seeks`).
    fn follow_seeks(&mut self, dead: Fd, fresh: Fd, dead_position: Option<u64>) {
        if self.setup.kind != Kind::File || self.setup.append {
            return;
        }
        let now = self.conns.desc(dead).pos;
        if dead_position.is_some_and(|before| before != now) {
            self.conns.desc_mut(fresh).pos = now;
        }
    }

    /// Writes all of `bytes` to a socket (the replay).
    fn send_all(&mut self, fd: Fd, bytes: &[u8]) -> io::Result<()> {
        let desc = self.conns.desc(fd);
        if !self.server.alive(desc) {
            return Err(io::Error::from_raw_os_error(libc::EPIPE));
        }
        if desc.doomed && !bytes.is_empty() {
            self.crash();
            return Err(io::Error::from_raw_os_error(libc::EPIPE));
        }
        self.conns.desc_mut(fd).inbox.extend_from_slice(bytes);
        Ok(())
    }
}
