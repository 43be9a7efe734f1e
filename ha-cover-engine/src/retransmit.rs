//! What becomes of an operation that was under way when the server died, once
//! the connection is back: the rules of semantics 2 and 3 (DESIGN.md), as a
//! pure function.

use crate::op::{Kind, OpInfo, OpKind};
use crate::policy::WritePolicy;

/// What a recovery found about a file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FileFacts {
    /// Whether the new connection is at the position the dead one had.
    pub position_kept: bool,
    /// For an append-mode file: the dead connection's position (the end of the
    /// last write that succeeded) and the file's size once recovered.
    pub append: Option<(u64, u64)>,
}

/// What a recovery found about a socket's stream.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StreamFacts {
    /// Bytes sent since the last answer when the connection died: the server
    /// may or may not have received them.
    pub unanswered: u64,
    /// Whether the recovery sent them again on the new connection.
    pub replayed: bool,
}

/// The decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resume {
    /// Run the operation again on the new connection.
    Resend,
    /// The failed write did reach the file: report this many bytes written.
    Landed(usize),
    /// Whether the server got earlier bytes (or this write) is unknown; the caller
    /// is told and nothing is sent.
    Indeterminate(u64),
}

/// The decision for operation `op`, which was under way on a connection of
/// `kind` when it died, after a recovery that found `file` and `stream`.
pub fn after_recovery(
    kind: Kind,
    op: OpInfo,
    policy: WritePolicy,
    file: FileFacts,
    stream: StreamFacts,
) -> Resume {
    match kind {
        Kind::File => for_file(op, file),
        Kind::Socket => for_socket(op, policy, stream),
    }
}

fn for_file(op: OpInfo, file: FileFacts) -> Resume {
    if op.kind != OpKind::Write || op.len == 0 {
        // Reads, positioned writes, seeks and syncs repeat exactly.
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

fn for_socket(op: OpInfo, policy: WritePolicy, stream: StreamFacts) -> Resume {
    if stream.unanswered == 0 || stream.replayed {
        // Nothing the server may have lost (or it was sent again): a read waits
        // afresh, and a failed write was not received, so sending it is its
        // first delivery.
        return Resume::Resend;
    }
    match (policy, op.kind) {
        (WritePolicy::Always, OpKind::Write) => Resume::Resend,
        (_, OpKind::Flush) => Resume::Resend,
        _ => Resume::Indeterminate(stream.unanswered),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(kind: OpKind, len: usize) -> OpInfo {
        OpInfo { kind, len }
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
        let write = op(OpKind::Write, 10);
        assert_eq!(for_file(write, facts(100, 100)), Resume::Resend);
        assert_eq!(for_file(write, facts(100, 110)), Resume::Landed(10));
        assert_eq!(for_file(write, facts(100, 104)), Resume::Landed(4));
        assert_eq!(for_file(write, facts(100, 111)), Resume::Indeterminate(10));
        assert_eq!(for_file(write, facts(100, 90)), Resume::Indeterminate(10));
    }

    #[test]
    fn socket_policies() {
        let quiet = StreamFacts::default();
        for policy in [WritePolicy::Never, WritePolicy::Always, WritePolicy::Replay] {
            assert_eq!(
                for_socket(op(OpKind::Write, 3), policy, quiet),
                Resume::Resend
            );
            assert_eq!(
                for_socket(op(OpKind::Read, 3), policy, quiet),
                Resume::Resend
            );
        }
        let lost = StreamFacts {
            unanswered: 6,
            replayed: false,
        };
        let read = op(OpKind::Read, 0);
        let write = op(OpKind::Write, 3);
        assert_eq!(
            for_socket(read, WritePolicy::Never, lost),
            Resume::Indeterminate(6)
        );
        assert_eq!(
            for_socket(write, WritePolicy::Never, lost),
            Resume::Indeterminate(6)
        );
        assert_eq!(for_socket(write, WritePolicy::Always, lost), Resume::Resend);
        assert_eq!(
            for_socket(read, WritePolicy::Always, lost),
            Resume::Indeterminate(6)
        );
        // Past the replay capacity nothing was sent again.
        assert_eq!(
            for_socket(read, WritePolicy::Replay, lost),
            Resume::Indeterminate(6)
        );
        let replayed = StreamFacts {
            unanswered: 7,
            replayed: true,
        };
        assert_eq!(
            for_socket(read, WritePolicy::Replay, replayed),
            Resume::Resend
        );
        assert_eq!(
            for_socket(op(OpKind::Flush, 0), WritePolicy::Never, lost),
            Resume::Resend
        );
    }
}
