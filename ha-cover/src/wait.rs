//! Waiting for the server to come back.
//!
//! Between failed attempts the cover waits out the backoff, but it wakes early
//! when the kernel says something changed that may mean the server is back: the
//! mount table (a file server was mounted again), or the directory of a Unix
//! socket (a server bound its socket again). The next attempt then happens at
//! once, instead of at the next tick of a timer. Anything a watcher cannot see
//! (TCP, abstract sockets, a user's own connection) waits out the backoff.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::Path;
use std::time::Duration;

use crate::connection::Peer;
use crate::origin::Origin;
use crate::sys;

/// A source of "the server may be back" events, opened for one recovery.
#[derive(Debug)]
#[doc(hidden)]
pub enum Watcher {
    /// `/proc/self/mountinfo` polls with `POLLPRI` when the mount table changes.
    Mounts(File),
    /// An inotify descriptor watching a Unix socket's directory.
    SocketDirectory(Inotify),
    /// Nothing to watch: wait out the backoff.
    Timer,
}

impl Watcher {
    /// The watcher for a connection opened from `origin`. Opening it is a few
    /// system calls, so the cover opens one only once a recovery has to wait.
    pub fn for_origin(origin: &Origin) -> Self {
        let watcher = match origin {
            Origin::File { .. } => Self::mounts(),
            Origin::Socket(Peer::Unix(addr)) => match addr.as_pathname().and_then(Path::parent) {
                Some(dir) => Self::directory(dir),
                None => Ok(Self::Timer),
            },
            _ => Ok(Self::Timer),
        };
        // A watcher that cannot be opened (no /proc, inotify limits) only costs
        // promptness: the backoff still runs.
        watcher.unwrap_or(Self::Timer)
    }

    fn mounts() -> io::Result<Self> {
        mount_table().map(Self::Mounts)
    }

    fn directory(dir: &Path) -> io::Result<Self> {
        watch_directory(dir).map(Self::SocketDirectory)
    }

    /// Waits up to `limit`; true when woken by a change rather than by time.
    pub fn wait(&mut self, limit: Duration) -> bool {
        let woken = match self {
            Self::Timer => {
                std::thread::sleep(limit);
                return false;
            }
            Self::Mounts(mounts) => wait_for(mounts.as_fd(), libc::POLLPRI, limit),
            Self::SocketDirectory(inotify) => wait_for(inotify.as_fd(), libc::POLLIN, limit),
        };
        if woken {
            // Consume the event so the next wait blocks until a new one.
            let drained = match self {
                Self::Mounts(mounts) => drain_mounts(mounts),
                Self::SocketDirectory(inotify) => drain_inotify(inotify.as_fd()),
                Self::Timer => Ok(()),
            };
            if drained.is_err() {
                *self = Self::Timer;
            }
        }
        woken
    }

    /// Whether this watcher can see the server come back.
    pub fn sees_changes(&self) -> bool {
        !matches!(self, Self::Timer)
    }
}

/// The mount table, read to its end so that the next change is reported.
pub(crate) fn mount_table() -> io::Result<File> {
    let mut mounts = File::open("/proc/self/mountinfo")?;
    drain_mounts(&mut mounts)?;
    Ok(mounts)
}

/// An inotify instance watching `dir` for a socket (re)appearing in it.
pub(crate) fn watch_directory(dir: &Path) -> io::Result<Inotify> {
    let inotify = sys::inotify_init()?;
    sys::inotify_watch(
        inotify.as_fd(),
        dir,
        libc::IN_CREATE | libc::IN_MOVED_TO | libc::IN_ATTRIB,
    )?;
    Ok(Inotify(Some(inotify)))
}

/// An inotify descriptor closed on the reaper thread: closing an inotify
/// instance waits for an RCU grace period, milliseconds the caller's
/// retransmitted operation should not wait for.
#[derive(Debug)]
#[doc(hidden)]
pub struct Inotify(Option<OwnedFd>);

impl Inotify {
    pub(crate) fn as_fd(&self) -> BorrowedFd<'_> {
        self.0.as_ref().expect("taken only on drop").as_fd()
    }
}

impl std::os::fd::AsRawFd for Inotify {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        std::os::fd::AsRawFd::as_raw_fd(&self.as_fd())
    }
}

impl Drop for Inotify {
    fn drop(&mut self) {
        if let Some(fd) = self.0.take() {
            crate::reaper::close_later(fd);
        }
    }
}

fn wait_for(fd: BorrowedFd<'_>, events: libc::c_short, limit: Duration) -> bool {
    match sys::poll_one(fd, events, limit) {
        Ok(ready) => ready,
        Err(_) => {
            std::thread::sleep(limit);
            false
        }
    }
}

/// Reads the mount table to its end: the kernel reports a change to a reader
/// that has not read the table since.
pub(crate) fn drain_mounts(mounts: &mut File) -> io::Result<()> {
    mounts.seek(SeekFrom::Start(0))?;
    let mut sink = [0u8; 8192];
    while mounts.read(&mut sink)? > 0 {}
    Ok(())
}

pub(crate) fn drain_inotify(inotify: BorrowedFd<'_>) -> io::Result<()> {
    // The descriptor is non-blocking: read until it says there is nothing left.
    let mut events = [0u8; 4096];
    loop {
        match sys::read(inotify, &mut events) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
            Err(e) => return Err(e),
        }
    }
}
