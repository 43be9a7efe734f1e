//! After an operation failed with a trigger: catch up with a recovery another
//! thread made since the operation started, or recover now; then say what the
//! cover loop does next.
//!
//! One recovery at a time per group: the flight lock is held for the whole of
//! one. A thread that failed meanwhile waits for it, then sees from the epoch
//! its operation started at that a recovery ended since: it sends its
//! operation again if that recovery succeeded, and returns its own error if it
//! gave up, without recovering again (QNX: one recovery serves every thread).

use ha_cover_rt::engine::{OpInfo, Resume, after_recovery};
use libc::c_int;

use crate::group::{Flight, Member, lock};
use crate::{cycle, recursion, table};

/// What revealed that the server died.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cause {
    /// A trigger errno.
    Errno(c_int),
    /// A socket read returned end-of-file.
    Eof,
}

impl Cause {
    pub fn errno(self) -> Option<c_int> {
        match self {
            Cause::Errno(errno) => Some(errno),
            Cause::Eof => None,
        }
    }

    /// The errno for an outcome that is not the operation's own (indeterminate):
    /// the original one, or `ECONNRESET` for an end-of-file.
    fn errno_or_reset(self) -> c_int {
        self.errno().unwrap_or(libc::ECONNRESET)
    }
}

/// What the cover loop does next.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Next {
    /// Send the operation again; it starts at this epoch.
    Resend { epoch: u64 },
    /// The failed write had reached the file: it wrote this many bytes.
    Landed(usize),
    /// Fail with this errno.
    Fail(c_int),
    /// Return end-of-file, as the read did.
    Eof,
}

/// Settles a failure of an operation that started at epoch `seen`.
pub(crate) fn settle(member: &Member, op: OpInfo, cause: Cause, seen: u64) -> Next {
    if recursion::inside() {
        // The recovery function gets the error and decides.
        return own_result(cause);
    }
    if !table::get(member.fd).is_some_and(|current| std::ptr::eq(&*current, member)) {
        // Closed or detached while the call was under way: the number may
        // already be another file's, which a recovery must not replace.
        return own_result(cause);
    }
    let group = &*member.group;
    let mut flight = lock(&group.flight);
    let epoch = group.epoch();
    if epoch != seen {
        if flight.last_success_epoch > seen {
            return catch_up(member, &flight, op, cause, epoch);
        }
        return own_result(cause);
    }
    match cycle::recover(member, &mut flight, op, &cause) {
        Some(resume) => {
            let epoch = group.end_cycle(&mut flight);
            flight.last_success_epoch = epoch;
            conclude(member, resume, cause, epoch)
        }
        None => {
            group.end_cycle(&mut flight);
            own_result(cause)
        }
    }
}

/// The operation failed on the connection a recovery since replaced: decide
/// as that recovery did, with what it found.
fn catch_up(member: &Member, flight: &Flight, op: OpInfo, cause: Cause, epoch: u64) -> Next {
    let group = &*member.group;
    let resume = after_recovery(
        group.kind,
        op,
        group.write_policy,
        &lock(&group.ledger),
        flight.latest,
    );
    // The recovering thread replayed the group's unanswered bytes already.
    let resume = match resume {
        Resume::ReplayThenResend => Resume::Resend,
        other => other,
    };
    conclude(member, resume, cause, epoch)
}

fn conclude(member: &Member, resume: Resume, cause: Cause, epoch: u64) -> Next {
    match resume {
        Resume::Resend | Resume::ReplayThenResend => Next::Resend { epoch },
        Resume::Landed(n) => Next::Landed(n),
        Resume::Indeterminate(_) => {
            lock(&member.group.control).stats.indeterminate += 1;
            Next::Fail(cause.errno_or_reset())
        }
    }
}

/// The failed operation's own result, as the system gave it.
fn own_result(cause: Cause) -> Next {
    match cause {
        Cause::Errno(errno) => Next::Fail(errno),
        Cause::Eof => Next::Eof,
    }
}
