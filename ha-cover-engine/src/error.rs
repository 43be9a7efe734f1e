//! The errors a cover reports.

use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Why a recovery did not restore the connection.
///
/// The caller's operation then fails with the error it would have had without the
/// cover (same `raw_os_error`); this value is kept in
/// [`Stats::last_give_up`](crate::Stats::last_give_up), sent to the event callback, and, when the policy asks for it
/// with `Builder::wrap_errors`, attached to the
/// caller's error as its source.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RecoveryError {
    /// Recovery was suspended with `Cover::suspend`.
    #[error("recovery is suspended on this connection")]
    Suspended,
    /// The failure happened inside a recovery function, which is never recovered
    /// again: the recovery function gets the error and decides.
    #[error("the connection failed inside a recovery function, which is not recovered recursively")]
    Recursive,
    /// The limit on the total number of recoveries (QNX's `HA_RECOVERY_ACOUNT`) is
    /// used up.
    #[error("all {limit} recoveries allowed for this connection have been used")]
    TotalLimit {
        /// The limit that was reached.
        limit: u32,
    },
    /// The limit on attempts for one failure (QNX's `HA_RECOVERY_ICOUNT`) is used up.
    #[error("recovery gave up after {attempts} attempts")]
    AttemptsExhausted {
        /// Attempts made for this failure.
        attempts: u32,
        /// The error of the last attempt, if there was one.
        #[source]
        last: Option<io::Error>,
    },
    /// The deadline for one recovery passed.
    #[error("recovery gave up: the deadline of {deadline:?} passed after {attempts} attempts")]
    DeadlinePassed {
        /// The deadline of the policy.
        deadline: Duration,
        /// Attempts made before it passed.
        attempts: u32,
        /// The error of the last attempt, if there was one.
        #[source]
        last: Option<io::Error>,
    },
    /// The recovery stopped before it finished: the task running an async
    /// recovery was dropped (its runtime shut down), or the process forked
    /// while another thread was recovering (in the child).
    #[error("the recovery was cancelled before it finished")]
    Cancelled,
    /// The recovery function panicked. The panic was caught so that the group
    /// stays usable; the message is the panic's.
    #[error("the recovery function panicked: {0}")]
    Panicked(String),
    /// The recovery function gave up with [`AttemptError::give_up`].
    #[error("the recovery function gave up")]
    GaveUp(#[source] io::Error),
}

/// The path a file was reopened at now names another file, so reading on would
/// mix two files' bytes. Returned by the reopen helpers when the policy checks
/// identity (`Builder::verify_identity`); it
/// ends the recovery.
#[derive(Debug, thiserror::Error)]
#[error(
    "{path} now names another file (inode {found_inode}, size {found_size}; expected inode {expected_inode}{size})",
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
pub struct Indeterminate {
    /// Bytes the connection had accepted since the last answer (or, for a file, the
    /// length of the write whose fate is unknown).
    pub unanswered: u64,
    /// The error that revealed the failure; `None` when it was end-of-file.
    pub errno: Option<i32>,
}

/// The caller's error when recovery failed and the policy asked for details with
/// `Builder::wrap_errors`: the original error, with
/// the recovery failure as its source. Use [`os_error`](crate::os_error) to read the
/// original errno through it.
#[derive(Debug, thiserror::Error)]
#[error("{original}")]
pub struct Unrecovered {
    /// The error the operation failed with, as std reported it.
    pub original: io::Error,
    /// Why recovery did not help.
    #[source]
    pub reason: Arc<RecoveryError>,
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
