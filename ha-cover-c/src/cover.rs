//! The cover loop of one call on an HA descriptor: the system call, and only
//! after a failure that means the server died, recovery and the call again.
//!
//! No lock is held across the system call: several threads may use the same
//! descriptor at once (one reading a socket while another writes it). The
//! group's epoch, read before the call, tells the failure path whether a
//! recovery happened while the call was under way.

use std::os::fd::BorrowedFd;

use ha_cover_rt::Kind;
use ha_cover_rt::engine::OpInfo;
use libc::c_int;

use crate::group::lock;
use crate::ops::Op;
use crate::settle::{Cause, Next, settle};
use crate::{recursion, table};

/// Runs `op` on `fd`, covered if `fd` is HA-aware.
pub(crate) fn perform<O: Op>(fd: c_int, mut op: O) -> Result<i64, c_int> {
    let Some(member) = table::hold(fd) else {
        // Detached since the caller looked: an ordinary descriptor now.
        return op.run(fd, false);
    };
    let group = &*member.group;
    let socket = group.kind == Kind::Socket;
    let mut seen = group.epoch();
    let mut result = op.run(fd, socket);
    loop {
        let cause = match result {
            Ok(n) if !(group.classifier.eof_is_failure && op.is_eof(n)) => {
                if socket && !recursion::recovering(group) {
                    op.record(n, &mut lock(&group.ledger));
                }
                return Ok(n);
            }
            Ok(_) => Cause::Eof,
            // SAFETY: `fd` is open for the duration of the call the caller made.
            Err(errno)
                if group.classifier.is_failure(
                    group.kind,
                    O::KIND,
                    errno,
                    Some(unsafe { BorrowedFd::borrow_raw(fd) }),
                ) =>
            {
                Cause::Errno(errno)
            }
            // Everything else, EINTR included, is the caller's to handle, as
            // it would be without the library.
            Err(errno) => return Err(errno),
        };
        let info = OpInfo {
            kind: O::KIND,
            len: op.len(),
            attempted: true,
        };
        match settle(&member, info, cause, seen) {
            Next::Resend { epoch } => {
                seen = epoch;
                result = op.run(fd, socket);
            }
            Next::Landed(n) => return Ok(n as i64),
            Next::Fail(errno) => return Err(errno),
            Next::Eof => return Ok(0),
        }
    }
}
