//! The errors a cover reports.

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::human::Human;

/// Why a recovery did not restore the connection.
///
/// The caller's operation then fails with the error it would have had without the
/// cover (same `raw_os_error`); this value is kept in
/// [`Stats::last_give_up`](crate::Stats::last_give_up), sent to the event callback, and, when the policy asks for it
/// with `Builder::wrap_errors`, attached to the
/// caller's error as its reason.
///
/// Its message is one line that says the real reason, the error of the last
/// attempt included (so [`source`](std::error::Error::source) goes on below
/// that error, never repeating it):
/// `all 3 attempts failed; the last with: No such file or directory (os error 2)`.
#[derive(Debug)]
#[non_exhaustive]
pub enum RecoveryError {
    /// Recovery was suspended with `Cover::suspend`.
    Suspended,
    /// The failure happened inside a recovery function, which is never recovered
    /// again: the recovery function gets the error and decides.
    Recursive,
    /// The limit on the total number of recoveries (QNX's `HA_RECOVERY_ACOUNT`) is
    /// used up.
    TotalLimit {
        /// The limit that was reached.
        limit: u32,
    },
    /// The limit on attempts for one failure (QNX's `HA_RECOVERY_ICOUNT`) is used up.
    AttemptsExhausted {
        /// Attempts made for this failure.
        attempts: u32,
        /// The error of the last attempt, if there was one.
        last: Option<io::Error>,
    },
    /// The deadline for one recovery passed.
    DeadlinePassed {
        /// The deadline of the policy.
        deadline: Duration,
        /// Attempts made before it passed.
        attempts: u32,
        /// The error of the last attempt, if there was one.
        last: Option<io::Error>,
    },
    /// The recovery stopped before it finished: the task running an async
    /// recovery was dropped (its runtime shut down), or the process forked
    /// while another thread was recovering (in the child).
    Cancelled,
    /// The recovery function panicked. The panic was caught so that the group
    /// stays usable; the message is the panic's.
    Panicked(String),
    /// The recovery function gave up with [`AttemptError::give_up`].
    GaveUp(io::Error),
    /// The path the file was reopened at names another file now (the identity
    /// check of `Builder::verify_identity`): reading on would mix two files.
    IdentityChanged(IdentityChanged),
}

impl RecoveryError {
    /// A short name for the reason, the `reason` label of metrics:
    /// `suspended`, `recursive`, `total_limit`, `attempts`, `deadline`,
    /// `cancelled`, `panicked`, `function`, `identity`.
    pub fn reason_name(&self) -> &'static str {
        match self {
            RecoveryError::Suspended => "suspended",
            RecoveryError::Recursive => "recursive",
            RecoveryError::TotalLimit { .. } => "total_limit",
            RecoveryError::AttemptsExhausted { .. } => "attempts",
            RecoveryError::DeadlinePassed { .. } => "deadline",
            RecoveryError::Cancelled => "cancelled",
            RecoveryError::Panicked(_) => "panicked",
            RecoveryError::GaveUp(_) => "function",
            RecoveryError::IdentityChanged(_) => "identity",
        }
    }

    /// What the recovery function gave up with, seen through: the identity
    /// check's refusal is its own reason.
    pub(crate) fn given_up(error: io::Error) -> Self {
        if !error
            .get_ref()
            .is_some_and(|inner| inner.is::<IdentityChanged>())
        {
            return RecoveryError::GaveUp(error);
        }
        match error
            .into_inner()
            .map(|inner| inner.downcast::<IdentityChanged>())
        {
            Some(Ok(changed)) => RecoveryError::IdentityChanged(*changed),
            _ => unreachable!("checked to be an IdentityChanged"),
        }
    }
}

/// `; the last with: {error}` after a count of attempts, when there was one.
struct LastError<'a>(&'a Option<io::Error>);

impl fmt::Display for LastError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(error) => write!(f, "; the last failed with: {error}"),
            None => Ok(()),
        }
    }
}

impl fmt::Display for RecoveryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecoveryError::Suspended => f.write_str("recovery is suspended on this connection"),
            RecoveryError::Recursive => f.write_str(
                "the connection failed inside a recovery function, which is not recovered recursively",
            ),
            RecoveryError::TotalLimit { limit } => write!(
                f,
                "all {limit} recoveries allowed for this connection have been used"
            ),
            RecoveryError::AttemptsExhausted { attempts: 0, .. } => f.write_str(
                "no attempt left: earlier failures used up the attempts allowed until a recovery succeeds",
            ),
            RecoveryError::AttemptsExhausted { attempts, last } => write!(
                f,
                "all {attempts} attempts allowed failed{}",
                LastError(last)
            ),
            RecoveryError::DeadlinePassed {
                deadline,
                attempts,
                last,
            } => write!(
                f,
                "the deadline of {} passed after {attempts} attempts{}",
                Human(*deadline),
                LastError(last)
            ),
            RecoveryError::Cancelled => f.write_str("the recovery was cancelled before it finished"),
            RecoveryError::Panicked(message) => {
                write!(f, "the recovery function panicked: {message}")
            }
            RecoveryError::GaveUp(error) => write!(f, "the recovery function gave up: {error}"),
            RecoveryError::IdentityChanged(changed) => changed.fmt(f),
        }
    }
}

/// The errors a message already quotes are not sources again: the chain goes
/// on below them.
impl std::error::Error for RecoveryError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RecoveryError::AttemptsExhausted { last, .. }
            | RecoveryError::DeadlinePassed { last, .. } => {
                last.as_ref().and_then(|error| error.source())
            }
            RecoveryError::GaveUp(error) => error.source(),
            _ => None,
        }
    }
}

/// The path a file was reopened at now names another file, so reading on would
/// mix two files' bytes. Returned by the reopen helpers when the policy checks
/// identity (`Builder::verify_identity`); it
/// ends the recovery.
#[derive(Debug, thiserror::Error)]
#[error(
    "{path} now names another file (inode {found_inode}, size {found_size}; expected inode {expected_inode}{size}): not reopened",
    size = expected_size.map(|s| format!(", size {s}")).unwrap_or_default()
)]
pub struct IdentityChanged {
    /// The path that was reopened.
    pub path: PathBuf,
    /// The inode number the file had when it was first opened.
    pub expected_inode: u64,
    /// The inode number the path names now.
    pub found_inode: u64,
    /// The size the file had when first opened, when the policy checks sizes too.
    pub expected_size: Option<u64>,
    /// The size of the file the path names now.
    pub found_size: u64,
}

/// The connection failed and was recovered, but whether the server received what
/// was sent before the failure is unknown, and the write policy forbids sending it
/// again. The caller decides: check the server's state, or send it again itself.
///
/// Comes back as the `io::Error` of the operation (kind `Other`); see
/// [`is_indeterminate`](crate::is_indeterminate).
#[derive(Debug, thiserror::Error)]
#[error(
    "the connection failed and was recovered, but whether the server received the {unanswered} byte(s) sent before the failure is unknown; they were not sent again"
)]
#[non_exhaustive]
pub struct Indeterminate {
    /// Bytes the connection had accepted since the last answer (or, for a file, the
    /// length of the write whose fate is unknown).
    pub unanswered: u64,
    /// The error that revealed the failure; `None` when it was end-of-file.
    pub errno: Option<i32>,
}

/// The caller's error when recovery failed and the policy asked for details with
/// `Builder::wrap_errors`: the original error, with the recovery failure as its
/// reason. Its message says both, in one line:
/// `Transport endpoint is not connected (os error 107); not recovered: the deadline of 30.0s passed after 412 attempts`.
///
/// An `io::Error` that carries it has the original's kind, but no
/// `raw_os_error()` (std keeps a number only in an error that carries nothing
/// else): read the number with [`os_error`](crate::os_error), or
/// [`Unrecovered::raw_os_error`].
#[derive(Debug)]
#[non_exhaustive]
pub struct Unrecovered {
    /// The error the operation failed with, as std reported it.
    pub original: io::Error,
    /// Why recovery did not help.
    pub reason: Arc<RecoveryError>,
}

impl Unrecovered {
    /// The OS error number of the original error.
    pub fn raw_os_error(&self) -> Option<i32> {
        self.original.raw_os_error()
    }
}

impl fmt::Display for Unrecovered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; not recovered: {}", self.original, self.reason)
    }
}

/// Both errors are in the message; the chain goes on below the reason.
impl std::error::Error for Unrecovered {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.reason.source()
    }
}

/// An error from one attempt of a recovery function.
///
/// Made from any `io::Error` with `?`: the attempt failed and recovery tries again
/// as the policy allows. [`give_up`](Self::give_up) ends the recovery at once, the
/// way a QNX recovery function returns -1.
#[derive(Debug)]
pub struct AttemptError {
    pub(crate) error: io::Error,
    pub(crate) give_up: bool,
}

impl AttemptError {
    /// This attempt failed; try again while the policy allows.
    pub fn retry(error: impl Into<io::Error>) -> Self {
        Self {
            error: error.into(),
            give_up: false,
        }
    }

    /// Stop recovering: the failed operation's own error goes to the caller.
    pub fn give_up(error: impl Into<io::Error>) -> Self {
        Self {
            error: error.into(),
            give_up: true,
        }
    }

    /// The error of the attempt.
    pub fn error(&self) -> &io::Error {
        &self.error
    }

    /// Whether this error ends the recovery.
    pub fn is_give_up(&self) -> bool {
        self.give_up
    }

    /// The error of the attempt, owned.
    pub fn into_error(self) -> io::Error {
        self.error
    }
}

impl From<io::Error> for AttemptError {
    fn from(error: io::Error) -> Self {
        Self::retry(error)
    }
}

impl From<io::ErrorKind> for AttemptError {
    fn from(kind: io::ErrorKind) -> Self {
        Self::retry(kind)
    }
}

impl std::fmt::Display for AttemptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.give_up {
            write!(f, "recovery gave up: {}", self.error)
        } else {
            write!(f, "recovery attempt failed: {}", self.error)
        }
    }
}

impl std::error::Error for AttemptError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// Whether `error` is an [`Indeterminate`] outcome: the connection was recovered but
/// what was sent before the failure may or may not have been received.
pub fn is_indeterminate(error: &io::Error) -> bool {
    error
        .get_ref()
        .is_some_and(|inner| inner.is::<Indeterminate>())
}

/// The OS error number behind `error`, looking through [`Unrecovered`].
pub fn os_error(error: &io::Error) -> Option<i32> {
    error.raw_os_error().or_else(|| {
        error
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<Unrecovered>())
            .and_then(|unrecovered| unrecovered.original.raw_os_error())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error;

    #[test]
    fn a_give_up_says_its_real_reason_at_the_top_and_once() {
        let changed = IdentityChanged {
            path: "/mnt/fuse/data".into(),
            expected_inode: 11,
            found_inode: 12,
            expected_size: None,
            found_size: 21,
        };
        let reason = RecoveryError::given_up(io::Error::other(changed));
        assert!(
            matches!(reason, RecoveryError::IdentityChanged(_)),
            "{reason:?}"
        );
        assert_eq!(
            reason.to_string(),
            "/mnt/fuse/data now names another file (inode 12, size 21; expected inode 11): not reopened"
        );
        let wrapped = Unrecovered {
            original: io::Error::from_raw_os_error(libc::ESTALE),
            reason: Arc::new(reason),
        };
        assert_eq!(
            wrapped.to_string(),
            format!(
                "{}; not recovered: /mnt/fuse/data now names another file (inode 12, size 21; expected inode 11): not reopened",
                io::Error::from_raw_os_error(libc::ESTALE)
            )
        );
        assert!(wrapped.source().is_none(), "nothing below what it says");
        let given = RecoveryError::given_up(io::Error::other("not today"));
        assert_eq!(
            given.to_string(),
            "the recovery function gave up: not today"
        );
        assert_eq!(given.reason_name(), "function");
        let exhausted = RecoveryError::AttemptsExhausted {
            attempts: 3,
            last: Some(io::Error::from_raw_os_error(libc::ENOENT)),
        };
        assert_eq!(
            exhausted.to_string(),
            "all 3 attempts allowed failed; the last failed with: No such file or directory (os error 2)"
        );
        assert!(
            exhausted.source().is_none(),
            "the last error is quoted, not a source"
        );
    }
}
