//! The recovery functions a simulated client gives its group: the usual one
//! (reopen and seek back, or reconnect), and the ones users get wrong.

use std::io;
use std::time::Duration;

use ha_cover_engine::{AttemptError, Cause, Failed, Kind, OpInfo, OpKind, RecoveryError, Role};

use super::conns::Fd;
use super::setup::Flavor;
use super::world::World;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecoveryFn {
    /// Reopens the path and seeks to where the dead connection was, or
    /// reconnects: `reopen_seek` / `reconnect`.
    Reopen,
    /// Reopens without seeking (`ha_cover::reopen`): a file's new connection
    /// is at its start. The client then goes on from there (it knows: its
    /// handle follows the position).
    ReopenNoSeek,
    /// Fails this many times, then reopens.
    Flaky { failures: u32 },
    /// Gives up (`AttemptError::give_up`, QNX's -1).
    GiveUp,
    /// Panics.
    Panic,
    /// Returns the dead connection unchanged (QNX's `return fd;` without
    /// `ha_reopen`).
    Unchanged,
    /// Returns a new connection that is already dead.
    Dead,
    /// Does I/O on its own group's cover first, which fails (the connection
    /// is dead) and is not recovered again (no recursion), then reopens.
    Recursive,
}

/// What a call of a recovery function gave.
#[derive(Debug)]
pub enum Returned {
    Conn(Fd),
    Failed(AttemptError),
    Panicked(String),
}

impl World {
    /// Calls the group's recovery function for the connection `dead`, whose
    /// position was `position`.
    pub fn call_recovery(&mut self, m: usize, dead: Fd, position: Option<u64>) -> Returned {
        // Connecting takes a little time, during which the world goes on.
        let took = Duration::from_micros(self.rng.range(5, 300));
        self.clock.advance(took);
        self.server.tick(self.clock.now());
        match self.ext.recovery {
            RecoveryFn::Reopen => self.reopen(position),
            RecoveryFn::ReopenNoSeek => self.reopen(Some(0)),
            RecoveryFn::Flaky { failures } => {
                if failures == 0 {
                    self.ext.recovery = RecoveryFn::Reopen;
                    return self.reopen(position);
                }
                self.ext.recovery = RecoveryFn::Flaky {
                    failures: failures - 1,
                };
                Returned::Failed(AttemptError::retry(io::Error::from_raw_os_error(
                    libc::EAGAIN,
                )))
            }
            RecoveryFn::GiveUp => Returned::Failed(AttemptError::give_up(
                io::Error::from_raw_os_error(libc::EACCES),
            )),
            RecoveryFn::Panic => Returned::Panicked("the recovery function panicked".into()),
            RecoveryFn::Unchanged => Returned::Conn(self.conns.dup(dead)),
            RecoveryFn::Recursive => {
                self.recurse(m);
                self.reopen(position)
            }
            RecoveryFn::Dead => match self.reopen(position) {
                Returned::Conn(fd) => {
                    self.conns.desc_mut(fd).killed = true;
                    Returned::Conn(fd)
                }
                other => other,
            },
        }
    }

    /// The recovery function of member `m` reads through its own cover: the
    /// read fails on the dead connection, and the failure is the function's
    /// to handle, not recovered again (and not counted as one).
    fn recurse(&mut self, m: usize) {
        let cause = Cause::Error(io::Error::from_raw_os_error(libc::ENOTCONN));
        let failed = Failed {
            op: OpInfo::new(OpKind::Read, 0),
            cause: &cause,
            retransmission: false,
            inside_recovery: true,
            descriptor: None,
        };
        let failures = self.group.stats().failures;
        // A call of the C ABI settles from the epoch it began at: now.
        let mut view = match self.setup.flavor {
            Flavor::Sync | Flavor::Async => self.members[m].view,
            Flavor::C => self.group.member_since(self.group.epoch()),
        };
        let role = self.group.settle(&mut view, Some(failed), self.clock.now());
        let recursive = matches!(&role, Role::Unrecovered(Some(reason))
            if matches!(**reason, RecoveryError::Recursive));
        if !recursive || self.group.stats().failures != failures {
            self.violation(
                "recursion",
                format!("m{m}: a failure inside the recovery function gave {role:?}"),
            );
        }
    }

    fn reopen(&mut self, position: Option<u64>) -> Returned {
        let Some(description) = self.server.accept(self.clock.now()) else {
            let errno = match self.setup.kind {
                Kind::File => libc::ENOENT,
                _ => libc::ECONNREFUSED,
            };
            return Returned::Failed(AttemptError::retry(io::Error::from_raw_os_error(errno)));
        };
        let fd = self.conns.open(description);
        if self.setup.kind == Kind::File && !self.setup.append {
            // reopen_seek: the position the dead connection had.
            let Some(position) = position else {
                self.conns.close(fd);
                return Returned::Failed(AttemptError::give_up(io::Error::other(
                    "the dead connection's position is unknown",
                )));
            };
            self.conns.desc_mut(fd).pos = position;
        }
        Returned::Conn(fd)
    }
}
