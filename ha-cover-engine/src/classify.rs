//! What a result means: done, interrupted, an error to pass on, or a server
//! that died.

use std::io;

use crate::cause::Cause;
use crate::op::{Kind, OpKind};
use crate::policy::Policy;
use crate::triggers::Triggers;

/// Facts about a connection that only the front end can find out (with system
/// calls), asked for only when an error is ambiguous.
pub trait Probe {
    /// The descriptor's status flags (`F_GETFL`), or `None` when the descriptor
    /// itself is gone or the connection has none.
    fn status_flags(&self) -> Option<i32>;

    /// Asks the server something (`fstatfs` always reaches a FUSE daemon): `Ok`
    /// when it answers, the errno when it does not, `None` when there is no way
    /// to ask.
    fn ask_server(&self) -> Option<Result<(), i32>>;
}

/// A connection with no descriptor: nothing to ask.
impl Probe for () {
    fn status_flags(&self) -> Option<i32> {
        None
    }

    fn ask_server(&self) -> Option<Result<(), i32>> {
        None
    }
}

/// The part of the policy that classifies a result; fixed when a group is made,
/// so the path with no failure reads it without a lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Classifier {
    /// The errors that mean the server died.
    pub triggers: Triggers,
    /// Whether a read's end-of-file means the server died (sockets only).
    pub eof_is_failure: bool,
}

/// What a result means.
#[derive(Debug)]
pub enum Classified<T> {
    /// The operation succeeded.
    Done(T),
    /// It was interrupted (`EINTR`): run it again in place.
    Again,
    /// An error that is not a server's death: the caller's.
    Pass(io::Error),
    /// The server died.
    Failed(Cause),
}

impl Classifier {
    /// The classifier of a connection of `kind` under `policy`.
    pub fn for_policy(kind: Kind, policy: &Policy) -> Self {
        Self {
            triggers: policy.triggers.unwrap_or(Triggers::for_kind(kind)),
            // A file's end is the end of its data, whatever the policy says:
            // recovering from it would reopen, read EOF again, and loop.
            eof_is_failure: kind == Kind::Socket && policy.eof_is_failure.unwrap_or(true),
        }
    }

    /// What `result` of an operation of kind `op` on a connection of kind
    /// `kind` means; `is_eof` says whether a success is a read's end-of-file.
    pub fn classify<T>(
        &self,
        result: io::Result<T>,
        is_eof: impl FnOnce(&T) -> bool,
        op: OpKind,
        kind: Kind,
        probe: &impl Probe,
    ) -> Classified<T> {
        match result {
            Ok(out) if self.eof_is_failure && is_eof(&out) => Classified::Failed(Cause::Eof),
            Ok(out) => Classified::Done(out),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Classified::Again,
            Err(e) => match e.raw_os_error() {
                Some(errno) if self.is_failure(kind, op, errno, probe) => {
                    Classified::Failed(Cause::Error(e))
                }
                _ => Classified::Pass(e),
            },
        }
    }

    /// Whether an operation of kind `op` on a connection of kind `kind` that
    /// failed with `errno` means the server died.
    pub fn is_failure(&self, kind: Kind, op: OpKind, errno: i32, probe: &impl Probe) -> bool {
        if self.triggers.contains(errno) {
            return !wrong_access(errno, op, probe);
        }
        // `EIO` is a disk's media error, but also what a FUSE request that was
        // half answered when its daemon died gets. Asking the server tells the
        // two apart: a dead server answers with a trigger error.
        errno == libc::EIO
            && kind == Kind::File
            && matches!(probe.ask_server(), Some(Err(errno)) if self.triggers.contains(errno))
    }
}

/// `EBADF` also means "not open for this": a write on a read-only file. That is
/// the caller's mistake, which no reopen can fix, so it is not a server death.
fn wrong_access(errno: i32, op: OpKind, probe: &impl Probe) -> bool {
    if errno != libc::EBADF {
        return false;
    }
    match probe.status_flags() {
        Some(flags) => {
            let access = flags & libc::O_ACCMODE;
            (op.writes() && access == libc::O_RDONLY)
                || (op.reads() && access == libc::O_WRONLY)
                || flags & libc::O_PATH != 0
        }
        // The descriptor itself is gone (or there is none): a dead connection.
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Facts {
        flags: Option<i32>,
        server: Option<Result<(), i32>>,
    }

    impl Probe for Facts {
        fn status_flags(&self) -> Option<i32> {
            self.flags
        }
        fn ask_server(&self) -> Option<Result<(), i32>> {
            self.server
        }
    }

    fn classify(kind: Kind, op: OpKind, errno: i32, facts: &Facts) -> bool {
        let policy = Policy::default();
        Classifier::for_policy(kind, &policy).is_failure(kind, op, errno, facts)
    }

    #[test]
    fn ebadf_from_the_wrong_access_is_the_callers() {
        let read_only = Facts {
            flags: Some(libc::O_RDONLY),
            server: None,
        };
        assert!(!classify(
            Kind::File,
            OpKind::Write,
            libc::EBADF,
            &read_only
        ));
        assert!(classify(Kind::File, OpKind::Read, libc::EBADF, &read_only));
        let gone = Facts {
            flags: None,
            server: None,
        };
        assert!(classify(Kind::File, OpKind::Write, libc::EBADF, &gone));
    }

    #[test]
    fn eio_is_a_death_only_when_the_server_does_not_answer() {
        let dead = Facts {
            flags: None,
            server: Some(Err(libc::ENOTCONN)),
        };
        let alive = Facts {
            flags: None,
            server: Some(Ok(())),
        };
        assert!(classify(Kind::File, OpKind::Read, libc::EIO, &dead));
        assert!(!classify(Kind::File, OpKind::Read, libc::EIO, &alive));
        assert!(!classify(Kind::Socket, OpKind::Read, libc::EIO, &dead));
    }

    #[test]
    fn a_files_end_is_never_a_failure() {
        let policy = Policy {
            eof_is_failure: Some(true),
            ..Policy::default()
        };
        assert!(!Classifier::for_policy(Kind::File, &policy).eof_is_failure);
        assert!(Classifier::for_policy(Kind::Socket, &Policy::default()).eof_is_failure);
    }
}
