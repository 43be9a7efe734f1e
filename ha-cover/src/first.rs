//! The first open or connect of a cover, covered when the builder asks: it
//! waits for the server under the cover's own policy (attempts, deadline,
//! backoff, woken as soon as the mount or the socket is seen back) instead of
//! failing at once, and a file can be required to lie on a mount, so that
//! nothing is created on a bare mount point while its server is away.
//!
//! The wait is the engine's recovery cycle, run on a group of its own that
//! nobody else sees: the same pacing and limits as every later recovery, and
//! no event or count in the cover's stats (no connection was lost).

use std::fs::{File, OpenOptions};
use std::io;
use std::os::fd::{AsFd, AsRawFd};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::Instant;

use ha_cover_engine::{
    Action, AttemptError, Cause, Config, Failed, Group, Kind, OpInfo, OpKind, Policy, Recovery,
    Restored, Role,
};

use crate::builder::random_seed;

/// What the builder asked of the first connection.
#[derive(Clone, Debug)]
pub(crate) struct FirstConnect {
    /// Wait for the server under the policy.
    pub wait: bool,
    /// The mount files must lie on.
    pub mount: Option<PathBuf>,
    /// Make the first connection through the recovery function too; `None`:
    /// as the handle declares.
    pub on_connect: Option<bool>,
    /// The builder made the connection (not `attach`).
    pub made_by_builder: bool,
}

impl Default for FirstConnect {
    fn default() -> Self {
        Self {
            wait: false,
            mount: None,
            on_connect: None,
            made_by_builder: true,
        }
    }
}

/// What a recovery function is told when it makes a cover's first
/// connection: `conn` is the connection the builder just made.
fn first_failure<'a, C: crate::connection::Connection>(
    cause: &'a Cause,
    conn: &'a C,
    origin: &'a crate::origin::Origin,
    policy: &Policy,
) -> crate::recovery::Failure<'a, C> {
    let position = if C::KIND == Kind::File {
        conn.descriptor()
            .and_then(|fd| crate::sys::position(fd).ok())
    } else {
        None
    };
    crate::recovery::Failure {
        cause,
        attempt: 1,
        dead: conn,
        origin,
        position,
        identity: None,
        deadline: policy.deadline.map(|d| Instant::now() + d),
        first: true,
    }
}

/// The first connection, made again by the recovery function (the builder's
/// `on_connect`): the connection it returns replaces `conn`.
pub(crate) fn through_recovery<C: crate::connection::Connection, H: 'static>(
    recovery: &mut dyn crate::recovery::Recover<C, H>,
    conn: C,
    origin: &crate::origin::Origin,
    handle: &mut H,
    policy: &Policy,
) -> io::Result<C> {
    let cause = first_connection_cause();
    let failure = first_failure(&cause, &conn, origin, policy);
    recovery
        .recover(&failure, handle)
        .map_err(AttemptError::into_error)
}

/// Whether `error`, from a first open or connect of a connection of `kind`,
/// says the server is not there (yet): worth waiting for, where any other
/// error is the caller's.
pub(crate) fn server_absent(error: &io::Error, kind: Kind, policy: &Policy) -> bool {
    if error.kind() == io::ErrorKind::NotConnected {
        // Also the error of a mount that is not there (`on_mount`).
        return true;
    }
    let Some(errno) = error.raw_os_error() else {
        return false;
    };
    let triggers = policy
        .triggers
        .unwrap_or(ha_cover_engine::Triggers::for_kind(kind));
    match kind {
        // A socket nobody listens on, or a Unix socket not made yet.
        Kind::Socket => {
            errno == libc::ECONNREFUSED || errno == libc::ENOENT || triggers.contains(errno)
        }
        _ => errno != libc::EBADF && triggers.contains(errno),
    }
}

/// Opens `path` with `options` on the filesystem mounted at `mount`: the mount
/// point is opened first and checked to be a mount (another filesystem than
/// its parent directory's), then `path` is opened through that descriptor, so
/// that a mount that goes away in between leaves the open on the filesystem
/// that was checked, never on the directory underneath.
pub(crate) fn open_on_mount(path: &Path, options: &OpenOptions, mount: &Path) -> io::Result<File> {
    let path = std::path::absolute(path)?;
    let mount = std::path::absolute(mount)?;
    let rest = path.strip_prefix(&mount).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} is not under {}, the mount the builder expects (expect_mount)",
                path.display(),
                mount.display()
            ),
        )
    })?;
    // `..` would lead out of the mount from the descriptor of its root (the
    // path is absolute but not resolved: `mnt/../out` is not on `mnt`).
    if rest
        .components()
        .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} goes up with `..` under {}, the mount the builder expects (expect_mount): give the path without `..`",
                path.display(),
                mount.display()
            ),
        ));
    }
    let root = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_PATH | libc::O_DIRECTORY)
        .open(&mount)?;
    // The directory's own parent, reached from the descriptor (at the root
    // of a mount, `..` leads to the mount point's parent): the path's parent
    // is another directory when the mount point is named through a symbolic
    // link, and may lie on another filesystem though nothing is mounted.
    let through = Path::new("/proc/self/fd").join(root.as_fd().as_raw_fd().to_string());
    if std::fs::metadata(through.join(".."))?.dev() == root.metadata()?.dev() {
        return Err(io::Error::new(
            io::ErrorKind::NotConnected,
            format!(
                "nothing is mounted at {} (expect_mount): its server is not there",
                mount.display()
            ),
        ));
    }
    // The descriptor's own path in /proc leads to the filesystem it was
    // opened on, wherever the mount table has moved since.
    options.open(through.join(rest))
}

/// The engine's recovery cycle, for a first connection: which step comes next.
pub(crate) struct Wait {
    group: Group,
    recovery: Option<Recovery>,
    /// The last attempt's error: what the caller gets if the wait gives up.
    pub last: io::Error,
}

/// A step of a first connection's wait.
pub(crate) enum Step {
    /// Try to open or connect again.
    Attempt,
    /// Start watching for the server (then say what the watcher sees).
    Watch,
    /// Wait for the server, up to this long.
    Wait(std::time::Duration),
    /// The wait is over: the last attempt worked, or the policy gave up.
    Done,
}

impl Wait {
    /// The wait after a first attempt that failed with `error`, under
    /// `policy`; the error back when the policy allows no recovery at all.
    pub fn start(kind: Kind, policy: &Policy, error: io::Error) -> Result<Self, io::Error> {
        let mut group = Group::new(Config {
            kind,
            append: false,
            policy: policy.clone(),
            sink: None,
            seed: random_seed(),
            name: None,
            target: ha_cover_engine::Target::Unknown,
        });
        let mut member = group.member();
        let cause = Cause::Error(error);
        let failed = Failed {
            op: OpInfo::new(OpKind::Read, 0),
            cause: &cause,
            retransmission: false,
            inside_recovery: false,
            descriptor: None,
        };
        let role = group.settle(&mut member, Some(failed), Instant::now());
        let Cause::Error(last) = cause else {
            unreachable!("made from an error")
        };
        match role {
            Role::Recover(recovery) => Ok(Self {
                group,
                recovery: Some(recovery),
                last,
            }),
            _ => Err(last),
        }
    }

    /// What to do next.
    pub fn next(&mut self) -> Step {
        loop {
            let Some(recovery) = self.recovery.as_mut() else {
                return Step::Done;
            };
            match recovery.next(&mut self.group, Instant::now()) {
                Action::Attempt(_) => return Step::Attempt,
                Action::Watch => return Step::Watch,
                Action::Wait(delay) => return Step::Wait(delay),
                // Nothing was sent on a first connection: nothing to replay.
                Action::Replay => recovery.replayed(&mut self.group, Ok(()), Instant::now()),
                Action::Install => recovery.installed(&mut self.group, Instant::now()),
                Action::Done => {
                    self.recovery = None;
                    return Step::Done;
                }
            }
        }
    }

    /// The watcher started, waiting for `what`.
    pub fn watching(&mut self, what: ha_cover_engine::WaitingFor) {
        if let Some(recovery) = self.recovery.as_mut() {
            recovery.watching(what, Instant::now());
        }
    }

    /// The wait ended, `woken` by the watcher or not.
    pub fn waited(&mut self, woken: bool) {
        if let Some(recovery) = self.recovery.as_mut() {
            recovery.waited(woken, Instant::now());
        }
    }

    /// The attempt worked.
    pub fn connected(&mut self) {
        if let Some(recovery) = self.recovery.as_mut() {
            recovery.restored(&mut self.group, Restored::default(), Instant::now());
        }
    }

    /// The attempt failed with `error`: another is worth making only while
    /// the server is `absent`.
    pub fn failed(&mut self, error: io::Error, absent: bool) {
        let copy = io::Error::new(error.kind(), error.to_string());
        self.last = error;
        if let Some(recovery) = self.recovery.as_mut() {
            let attempt = if absent {
                AttemptError::retry(copy)
            } else {
                AttemptError::give_up(copy)
            };
            recovery.attempt_failed(&mut self.group, attempt, Instant::now());
        }
    }
}

/// Runs `attempt` (an open or a connect of a connection of `kind`) and, when
/// `first` asks to wait and the server is absent, again under the policy,
/// blocking; `watch` is where the server will appear.
pub(crate) fn blocking<T>(
    first: &FirstConnect,
    kind: Kind,
    policy: &Policy,
    watch: &crate::origin::Origin,
    mut attempt: impl FnMut() -> io::Result<T>,
) -> io::Result<T> {
    let error = match attempt() {
        Ok(done) => return Ok(done),
        Err(error) => error,
    };
    if !first.wait || !server_absent(&error, kind, policy) {
        return Err(error);
    }
    let mut wait = Wait::start(kind, policy, error)?;
    let mut watcher: Option<crate::wait::Watcher> = None;
    loop {
        match wait.next() {
            Step::Attempt => match attempt() {
                Ok(done) => {
                    wait.connected();
                    return Ok(done);
                }
                Err(error) => {
                    let absent = server_absent(&error, kind, policy);
                    wait.failed(error, absent);
                }
            },
            Step::Watch => {
                let started = watcher.insert(crate::wait::Watcher::for_origin(watch));
                wait.watching(started.waiting_for());
            }
            Step::Wait(delay) => {
                let woken = watcher.as_mut().is_some_and(|w| w.wait(delay));
                wait.waited(woken);
            }
            Step::Done => return Err(wait.last),
        }
    }
}

/// The async form of [`blocking`]: `attempt` makes a future.
#[cfg(all(feature = "tokio", not(loom)))]
pub(crate) async fn asynchronous<T, A, Fut>(
    first: &FirstConnect,
    kind: Kind,
    policy: &Policy,
    watch: &crate::origin::Origin,
    mut attempt: A,
) -> io::Result<T>
where
    A: FnMut() -> Fut,
    Fut: std::future::Future<Output = io::Result<T>>,
{
    let error = match attempt().await {
        Ok(done) => return Ok(done),
        Err(error) => error,
    };
    if !first.wait || !server_absent(&error, kind, policy) {
        return Err(error);
    }
    let mut wait = Wait::start(kind, policy, error)?;
    let mut watcher: Option<crate::asynchronous::AsyncWatcher> = None;
    loop {
        match wait.next() {
            Step::Attempt => match attempt().await {
                Ok(done) => {
                    wait.connected();
                    return Ok(done);
                }
                Err(error) => {
                    let absent = server_absent(&error, kind, policy);
                    wait.failed(error, absent);
                }
            },
            Step::Watch => {
                let started = watcher.insert(crate::asynchronous::AsyncWatcher::for_origin(watch));
                wait.watching(started.waiting_for());
            }
            Step::Wait(delay) => {
                let woken = match watcher.as_mut() {
                    Some(watcher) => watcher.wait(delay).await,
                    None => {
                        tokio::time::sleep(delay).await;
                        false
                    }
                };
                wait.waited(woken);
            }
            Step::Done => return Err(wait.last),
        }
    }
}

/// The async form of [`through_recovery`].
#[cfg(all(feature = "tokio", not(loom)))]
pub(crate) async fn through_async_recovery<C: crate::asynchronous::AsyncConnection, H: 'static>(
    recovery: &mut dyn crate::asynchronous::AsyncRecover<C, H>,
    conn: C,
    origin: &crate::origin::Origin,
    handle: &mut H,
    policy: &Policy,
) -> io::Result<C> {
    let cause = first_connection_cause();
    let position = if C::KIND == Kind::File {
        conn.descriptor()
            .and_then(|fd| crate::sys::position(fd).ok())
    } else {
        None
    };
    let failure = crate::asynchronous::AsyncFailure(crate::recovery::Failure {
        cause: &cause,
        attempt: 1,
        dead: &conn,
        origin,
        position,
        identity: None,
        deadline: policy.deadline.map(|d| Instant::now() + d),
        first: true,
    });
    recovery
        .recover(&failure, handle)
        .await
        .map_err(AttemptError::into_error)
}

/// What a recovery function making the first connection is told as its
/// cause: no failure (see `Failure::is_first_connection`). Not a variant of
/// the engine's `Cause`, which every async member carries: a third variant
/// would double its size.
fn first_connection_cause() -> Cause {
    Cause::Error(io::Error::new(
        io::ErrorKind::NotConnected,
        "no failure: the cover's first connection (on_connect)",
    ))
}
