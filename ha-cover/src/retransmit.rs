//! What to do with the operation that failed once the connection is back: the
//! rules of DESIGN.md's semantics 2 and 3, as a pure function.

use crate::connection::Kind;
use crate::ledger::Ledger;
use crate::policy::WritePolicy;

/// The kinds of operation a cover performs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[doc(hidden)]
pub enum OpKind {
    Read,
    Write,
    ReadAt,
    WriteAt,
    Seek,
    Flush,
    Sync,
}

impl OpKind {
    pub fn reads(self) -> bool {
        matches!(self, OpKind::Read | OpKind::ReadAt)
    }

    pub fn writes(self) -> bool {
        matches!(self, OpKind::Write | OpKind::WriteAt)
    }
}

/// The operation as the decision sees it.
#[derive(Clone, Copy, Debug)]
#[doc(hidden)]
pub struct OpInfo {
    pub kind: OpKind,
    /// Bytes a write asked to transfer.
    pub len: usize,
    /// Whether the operation ran on the dead connection (false when a member only
    /// catches up with a recovery another member made before its operation).
    pub attempted: bool,
}

/// Facts about a file connection before and after recovery.
#[derive(Clone, Copy, Debug, Default)]
#[doc(hidden)]
pub struct FileFacts {
    /// Whether the new connection is at the position the dead one had.
    pub position_kept: bool,
    /// For an append-mode file: the dead connection's position (the end of the
    /// last write that succeeded) and the file's size now.
    pub append: Option<(u64, u64)>,
}

/// The decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[doc(hidden)]
pub enum Resume {
    /// Run the operation again on the new connection.
    Resend,
    /// Write the member's unanswered bytes again, then run the operation again.
    ReplayThenResend,
    /// The failed write did reach the file: report this many bytes written.
    Landed(usize),
    /// Whether the server got earlier bytes (or this write) is unknown; the caller
    /// is told and nothing is sent.
    Indeterminate(u64),
}

#[doc(hidden)]
pub fn after_recovery(
    kind: Kind,
    op: OpInfo,
    policy: WritePolicy,
    ledger: &Ledger,
    file: FileFacts,
) -> Resume {
    match kind {
        Kind::File => for_file(op, file),
        Kind::Socket => for_socket(op, policy, ledger),
    }
}

fn for_file(op: OpInfo, file: FileFacts) -> Resume {
    if op.kind != OpKind::Write || !op.attempted || op.len == 0 {
        // Reads, positioned writes, seeks and syncs repeat exactly; an operation
        // that never ran has nothing to repeat.
        return Resume::Resend;
    }
    let len = op.len as u64;
    if let Some((before, size)) = file.append {
        // The size says how much of the failed append the server wrote before it
        // died; a size outside [before, before + len] means someone else wrote.
        return match size.checked_sub(before) {
            Some(0) => Resume::Resend,
            Some(done) if done <= len => Resume::Landed(done as usize),
            _ => Resume::Indeterminate(len),
        };
    }
    if file.position_kept {
        // The same bytes at the same offset: rewriting them is idempotent.
        Resume::Resend
    } else {
        Resume::Indeterminate(len)
    }
}

fn for_socket(op: OpInfo, policy: WritePolicy, ledger: &Ledger) -> Resume {
    let unanswered = ledger.unanswered();
    if unanswered == 0 {
        // Nothing the server may have seen: a read waits afresh, a write that
        // failed was not received, so sending it is its first delivery.
        return Resume::Resend;
    }
    match (policy, op.kind) {
        (WritePolicy::Replay, _) if ledger.replayable().is_some() => Resume::ReplayThenResend,
        (WritePolicy::Always, OpKind::Write) => Resume::Resend,
        (_, OpKind::Flush) => Resume::Resend,
        _ => Resume::Indeterminate(unanswered),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(kind: OpKind, len: usize) -> OpInfo {
        OpInfo {
            kind,
            len,
            attempted: true,
        }
    }

    #[test]
    fn file_reads_and_positioned_writes_always_resend() {
        for kind in [
            OpKind::Read,
            OpKind::ReadAt,
            OpKind::WriteAt,
            OpKind::Seek,
            OpKind::Sync,
        ] {
            assert_eq!(
                for_file(op(kind, 10), FileFacts::default()),
                Resume::Resend,
                "{kind:?}"
            );
        }
    }

    #[test]
    fn file_write_resends_only_at_the_same_position() {
        let kept = FileFacts {
            position_kept: true,
            append: None,
        };
        assert_eq!(for_file(op(OpKind::Write, 10), kept), Resume::Resend);
        assert_eq!(
            for_file(op(OpKind::Write, 10), FileFacts::default()),
            Resume::Indeterminate(10)
        );
    }

    #[test]
    fn append_checks_the_size() {
        let facts = |before, size| FileFacts {
            position_kept: false,
            append: Some((before, size)),
        };
        assert_eq!(
            for_file(op(OpKind::Write, 10), facts(100, 100)),
            Resume::Resend
        );
        assert_eq!(
            for_file(op(OpKind::Write, 10), facts(100, 110)),
            Resume::Landed(10)
        );
        assert_eq!(
            for_file(op(OpKind::Write, 10), facts(100, 104)),
            Resume::Landed(4)
        );
        assert_eq!(
            for_file(op(OpKind::Write, 10), facts(100, 111)),
            Resume::Indeterminate(10)
        );
        assert_eq!(
            for_file(op(OpKind::Write, 10), facts(100, 90)),
            Resume::Indeterminate(10)
        );
    }

    #[test]
    fn socket_policies() {
        let mut quiet = Ledger::new(true, WritePolicy::Never, 64);
        for policy in [WritePolicy::Never, WritePolicy::Always, WritePolicy::Replay] {
            assert_eq!(
                for_socket(op(OpKind::Write, 3), policy, &quiet),
                Resume::Resend
            );
            assert_eq!(
                for_socket(op(OpKind::Read, 3), policy, &quiet),
                Resume::Resend
            );
        }
        quiet.sent(b"INCR\r\n");
        assert_eq!(
            for_socket(op(OpKind::Read, 3), WritePolicy::Never, &quiet),
            Resume::Indeterminate(6)
        );
        assert_eq!(
            for_socket(op(OpKind::Write, 3), WritePolicy::Never, &quiet),
            Resume::Indeterminate(6)
        );
        assert_eq!(
            for_socket(op(OpKind::Write, 3), WritePolicy::Always, &quiet),
            Resume::Resend
        );
        assert_eq!(
            for_socket(op(OpKind::Read, 3), WritePolicy::Always, &quiet),
            Resume::Indeterminate(6)
        );

        let mut replay = Ledger::new(true, WritePolicy::Replay, 64);
        replay.sent(b"GET a\r\n");
        assert_eq!(
            for_socket(op(OpKind::Read, 3), WritePolicy::Replay, &replay),
            Resume::ReplayThenResend
        );
        let mut full = Ledger::new(true, WritePolicy::Replay, 2);
        full.sent(b"GET a\r\n");
        assert_eq!(
            for_socket(op(OpKind::Read, 3), WritePolicy::Replay, &full),
            Resume::Indeterminate(7)
        );
    }
}
