//! After an operation failed with a trigger: follow the engine's protocol.
//! Catch up with a recovery another thread made since the operation started,
//! wait for the one in flight, or recover now; then say what the cover loop
//! does next.
//!
//! Every member of a group moves to a new connection at once (the recovery
//! function puts it under every number), so catching up here is only the
//! engine's decision about the operation.

use std::io;
use std::time::Instant;

use ha_cover_engine::{Cause, Failed, Next as EngineNext, OpInfo, Role};
use libc::c_int;

use crate::group::Member;
use crate::{cycle, recursion, table};

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

/// Settles a failure (`errno`, or `None` for a socket's end-of-file) of an
/// operation that started at epoch `seen`; `retransmission` when it was being
/// sent again after a recovery.
pub(crate) fn settle(
    member: &Member,
    op: OpInfo,
    errno: Option<c_int>,
    seen: u64,
    retransmission: bool,
) -> Next {
    if !table::get(member.fd).is_some_and(|current| std::ptr::eq(&*current, member)) {
        // Closed or detached while the call was under way: the number may
        // already be another file's, which a recovery must not replace.
        return own_result(errno);
    }
    let shared = &member.group.shared;
    let cause = match errno {
        Some(errno) => Cause::Error(io::Error::from_raw_os_error(errno)),
        None => Cause::Eof,
    };
    let mut view = shared.lock().group.member_since(seen);
    loop {
        let failed = Failed {
            op,
            cause: &cause,
            retransmission,
            inside_recovery: recursion::inside(),
            descriptor: Some(member.fd),
        };
        let mut state = shared.lock();
        match state.group.settle(&mut view, Some(failed), Instant::now()) {
            Role::Move => {
                let next = state.group.decide(&mut view, op, Some(cause));
                return match next {
                    EngineNext::Resend => Next::Resend {
                        epoch: view.seen_epoch(),
                    },
                    EngineNext::Landed(n) => Next::Landed(n),
                    EngineNext::Fail(e) => Next::Fail(errno_of(&e, errno)),
                    EngineNext::Eof => Next::Eof,
                };
            }
            Role::Wait => drop(state.wait_for_end(view.seen_epoch())),
            Role::Recover(recovery) => {
                drop(state);
                cycle::drive(member, recovery, &cause);
            }
            // The recovery function gets its own errors; a recovery that
            // gave up returns the call's own errno, as without the library.
            Role::Unrecovered(_) => return own_result(errno),
            Role::Run => unreachable!("a failure is never just run"),
        }
    }
}

/// The errno a C caller gets for an error of the engine's: its own, or for an
/// indeterminate outcome the original one (`ECONNRESET` for an end-of-file).
fn errno_of(error: &io::Error, original: Option<c_int>) -> c_int {
    error
        .raw_os_error()
        .or(original)
        .unwrap_or(libc::ECONNRESET)
}

/// The failed operation's own result, as the system gave it.
fn own_result(errno: Option<c_int>) -> Next {
    match errno {
        Some(errno) => Next::Fail(errno),
        None => Next::Eof,
    }
}
