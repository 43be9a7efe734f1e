//! Policies: limits, backoff, deadline, write retransmission, identity checks.

use std::time::Duration;

use crate::triggers::Triggers;

/// What happens to bytes a socket accepted before its peer died.
///
/// A write that returned `Ok` only means the local kernel took the bytes; the peer
/// may have died before or after reading them. The policy says what the cover may
/// send again on the new connection. Files do not use it: a file write is sent again
/// only where that is idempotent (see the crate docs).
///
/// The cover knows nothing of the protocol: it takes a read that returns data
/// for the answer to everything sent before it, as when a client sends one
/// request and reads its answer before the next. Requests pipelined (several
/// sent before the first answer is read) are all taken as answered by the
/// first answer: if the server dies after it, none of the others is sent
/// again or reported [`Indeterminate`](crate::Indeterminate), and a read
/// waiting for their answers waits on the new connection for ever (or until
/// the socket's read timeout, or the caller's).
///
/// Over TCP the policy decides the commonest restart too: a request written on a
/// connection whose server died while it sat idle is taken by the local kernel
/// (the peer's reset comes back later), so the read of its answer is what fails,
/// and under `Never` and `Always` it is [`Indeterminate`](crate::Indeterminate)
/// although no server saw it; `Replay` sends it again and the read returns the
/// answer. (Over a Unix socket the write itself fails, and is sent on the new
/// connection under every policy.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum WritePolicy {
    /// Nothing that may have reached the server is sent twice (at most once). A
    /// failed write is sent on the new connection only when nothing was sent since
    /// the last answer, so the server cannot have seen it; otherwise, and for a read
    /// waiting on an answer to such bytes, the caller gets an
    /// [`Indeterminate`](crate::Indeterminate) error once the connection is back.
    #[default]
    Never,
    /// The protocol is idempotent: a failed write is always sent again on the new
    /// connection. Bytes accepted earlier are not kept; a read waiting for their
    /// answer gets [`Indeterminate`](crate::Indeterminate).
    Always,
    /// Every byte sent since the last successful read is kept (up to a capacity) and
    /// written again on the new connection, then the failed operation is
    /// retransmitted (at least once). Past the capacity the caller gets
    /// [`Indeterminate`](crate::Indeterminate).
    Replay,
}

/// Whether a reopened path must still name the file first opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum IdentityCheck {
    /// No check.
    #[default]
    Off,
    /// The inode number must be the one the file had when first opened.
    Inode,
    /// The inode number and the size must be those the file had when first opened:
    /// for files that must not change while being read.
    InodeAndSize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    None,
    Fixed(Duration),
    Exponential { initial: Duration, cap: Duration },
}

/// How long to wait between recovery attempts.
///
/// The delay grows with the number of failed attempts and, for a flapping server,
/// with failures that come soon after a recovery: it goes back to the start only
/// after the connection has stayed healthy for
/// [`Policy::healthy_after`].
///
/// ```
/// use std::time::Duration;
/// use ha_cover_engine::Backoff;
/// let b = Backoff::exponential(Duration::from_millis(10), Duration::from_secs(2)).without_jitter();
/// assert_eq!(b.delay(1), Duration::from_millis(10));
/// assert_eq!(b.delay(3), Duration::from_millis(40));
/// assert_eq!(b.delay(30), Duration::from_secs(2));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    shape: Shape,
    jitter: bool,
}

impl Backoff {
    /// Attempt again at once.
    pub const fn none() -> Self {
        Self {
            shape: Shape::None,
            jitter: false,
        }
    }

    /// Wait `delay` between attempts (with jitter unless disabled).
    pub const fn fixed(delay: Duration) -> Self {
        Self {
            shape: Shape::Fixed(delay),
            jitter: true,
        }
    }

    /// Wait `initial`, then twice as long after each failed attempt, up to `cap`
    /// (with jitter unless disabled).
    ///
    /// # Panics
    /// If `initial` is longer than `cap`.
    pub const fn exponential(initial: Duration, cap: Duration) -> Self {
        assert!(
            initial.as_nanos() <= cap.as_nanos(),
            "the initial backoff must not be longer than its cap"
        );
        Self {
            shape: Shape::Exponential { initial, cap },
            jitter: true,
        }
    }

    /// The same schedule without jitter: exact delays, for tests and for servers
    /// that only one client talks to.
    pub const fn without_jitter(mut self) -> Self {
        self.jitter = false;
        self
    }

    /// The delay before attempt `level + 1` after `level` failures (`level >= 1`),
    /// before jitter.
    pub fn delay(&self, level: u32) -> Duration {
        match self.shape {
            Shape::None => Duration::ZERO,
            Shape::Fixed(delay) => delay,
            Shape::Exponential { initial, cap } => {
                let doublings = level.saturating_sub(1).min(63);
                initial
                    .checked_mul(1u32.checked_shl(doublings).unwrap_or(u32::MAX))
                    .map_or(cap, |d| d.min(cap))
            }
        }
    }

    /// The first delay of the schedule.
    pub fn first_step(&self) -> Duration {
        self.delay(1)
    }

    /// The delay for `level` with jitter applied: a uniform value between half the
    /// delay and the whole of it, so clients that lost the same server do not come
    /// back in lockstep but none comes back much earlier than the schedule says.
    pub(crate) fn jittered(&self, level: u32, random: u64) -> Duration {
        let delay = self.delay(level);
        if !self.jitter || delay.is_zero() {
            return delay;
        }
        let half = delay / 2;
        let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        half + Duration::from_nanos(if nanos == 0 { 0 } else { random % (nanos + 1) })
    }
}

impl Default for Backoff {
    /// Exponential from 1 ms to 100 ms, with jitter. For files and Unix sockets
    /// this is only the fallback: the cover wakes as soon as the kernel reports
    /// the mount or the socket back.
    fn default() -> Self {
        Self::exponential(Duration::from_millis(1), Duration::from_millis(100))
    }
}

/// When a recovery that goes on says it is still going on: after `first`, then
/// every `every` (the NFS client's "server not responding, still trying"). A
/// [`Waiting`](crate::EventKind::Waiting) event each time, a log line with the
/// `tracing` feature.
///
/// A progress report comes between attempts: one due while the recovery
/// function runs (a TCP connect that takes its time) comes when it returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// How long after the failure the first report comes.
    pub first: Duration,
    /// How long after a report the next one comes.
    pub every: Duration,
}

impl Progress {
    /// Reports after `first`, then every `every` (at least a millisecond).
    pub const fn new(first: Duration, every: Duration) -> Self {
        Self { first, every }
    }

    /// No reports: a recovery says when it starts and when it ends.
    pub const fn off() -> Self {
        Self {
            first: Duration::MAX,
            every: Duration::MAX,
        }
    }
}

impl Default for Progress {
    /// After 1 s, then every 5 s.
    fn default() -> Self {
        Self::new(Duration::from_secs(1), Duration::from_secs(5))
    }
}

/// Everything that governs how a connection group recovers. Front ends set it
/// when a group is made (ha-cover's `Builder`, QNX's `ha_attach` flags); the
/// limits can be changed at run time.
#[derive(Clone, Debug)]
pub struct Policy {
    /// Most attempts for one failure (QNX's `HA_RECOVERY_ICOUNT`); `None` is unlimited.
    pub attempts: Option<u32>,
    /// Most recoveries in all (`HA_RECOVERY_ACOUNT`); `None` is unlimited.
    pub total: Option<u32>,
    /// How long one failure may take to recover; `None` is no deadline.
    pub deadline: Option<Duration>,
    /// The wait between failed attempts.
    pub backoff: Backoff,
    /// How long a recovered connection must stay healthy before the backoff
    /// starts over.
    pub healthy_after: Duration,
    /// The errors that trigger recovery; `None` is the kind's default set.
    pub triggers: Option<Triggers>,
    /// Whether a socket read's end-of-file is a failure; `None` is yes.
    pub eof_is_failure: Option<bool>,
    /// What a socket may send again.
    pub write_policy: WritePolicy,
    /// How many unanswered bytes [`WritePolicy::Replay`] keeps.
    pub replay_capacity: usize,
    /// Whether a reopened path must name the same file.
    pub identity: IdentityCheck,
    /// Whether a give-up wraps the original error with its reason.
    pub wrap_errors: bool,
    /// When a recovery that takes its time reports progress.
    pub progress: Progress,
}

/// The default deadline for one recovery.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(30);

impl Default for Policy {
    fn default() -> Self {
        Self {
            attempts: None,
            total: None,
            deadline: Some(DEFAULT_DEADLINE),
            backoff: Backoff::default(),
            healthy_after: Duration::from_millis(500),
            triggers: None,
            eof_is_failure: None,
            write_policy: WritePolicy::Never,
            replay_capacity: 64 * 1024,
            identity: IdentityCheck::Off,
            wrap_errors: false,
            progress: Progress::default(),
        }
    }
}
