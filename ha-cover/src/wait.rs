//! Waiting for the server to come back.
//!
//! Between failed attempts the cover waits out the backoff, but it wakes early
//! when the kernel says something changed that may mean the server is back: the
//! mount table (a file server was mounted again), or the directory of a Unix
//! socket (a server bound its socket again). The next attempt then happens at
//! once, instead of at the next tick of a timer. Anything a watcher cannot see
//! (TCP, abstract sockets, a user's own connection) waits out the backoff.
//!
//! The watcher's own descriptors are read, rewound and closed by direct system
//! calls ([`DirectFd`]): from the C ABI, libc's `read`, `lseek` and `close`
//! are that library's covers.

use std::ffi::OsString;
use std::fs::File;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::connection::Peer;
use crate::origin::Origin;
use crate::sys::{self, DirectFd};

/// A source of "the server may be back" events, opened for one recovery.
#[derive(Debug)]
#[doc(hidden)]
pub enum Watcher {
    /// `/proc/self/mountinfo` polls with `POLLPRI` when the mount table changes;
    /// only a new mount over the connection's path wakes the recovery.
    Mounts {
        /// The table, read to its end after each change.
        table: DirectFd,
        /// The mounts over the path.
        covering: Covering,
    },
    /// An inotify descriptor watching a Unix socket's directory; only the
    /// socket's own name appearing wakes the recovery.
    SocketDirectory {
        /// The inotify instance.
        inotify: Inotify,
        /// The socket's file name.
        name: OsString,
    },
    /// Nothing to watch: wait out the backoff.
    Timer,
}

impl Watcher {
    /// The watcher for a connection opened from `origin`. Opening it is a few
    /// system calls, so the cover opens one only once a recovery has to wait.
    pub fn for_origin(origin: &Origin) -> Self {
        let watcher = match origin {
            Origin::File { path, .. } => Self::mounts(path),
            Origin::Socket(Peer::Unix(addr)) => match addr.as_pathname() {
                Some(path) => Self::socket(path),
                None => Ok(Self::Timer),
            },
            _ => Ok(Self::Timer),
        };
        // A watcher that cannot be opened (no /proc, inotify limits) only costs
        // promptness: the backoff still runs.
        watcher.unwrap_or(Self::Timer)
    }

    fn mounts(path: &Path) -> io::Result<Self> {
        let (table, text) = mount_table()?;
        Ok(Self::Mounts {
            table,
            covering: Covering::new(path, &text),
        })
    }

    fn socket(path: &Path) -> io::Result<Self> {
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return Ok(Self::Timer);
        };
        Ok(Self::SocketDirectory {
            inotify: watch_directory(dir)?,
            name: name.to_owned(),
        })
    }

    /// Waits up to `limit`; true when woken because the server may be back,
    /// false when the time is up. Changes that concern other mounts or other
    /// files do not end the wait.
    pub fn wait(&mut self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let relevant = match self {
                Self::Timer => {
                    std::thread::sleep(left);
                    return false;
                }
                Self::Mounts { table, covering } => {
                    if !wait_for(table.as_fd(), libc::POLLPRI, left) {
                        return false;
                    }
                    read_table(table).map(|text| covering.appeared(&text))
                }
                Self::SocketDirectory { inotify, name } => {
                    if !wait_for(inotify.as_fd(), libc::POLLIN, left) {
                        return false;
                    }
                    names_created(inotify.as_fd()).map(|names| names.iter().any(|n| n == name))
                }
            };
            match relevant {
                Ok(true) => return true,
                Ok(false) if Instant::now() < deadline => {}
                Ok(false) => return false,
                // The watcher broke; the backoff still runs.
                Err(_) => *self = Self::Timer,
            }
        }
    }

    /// Whether this watcher can see the server come back.
    pub fn sees_changes(&self) -> bool {
        !matches!(self, Self::Timer)
    }

    /// What it watches, as the engine's logs say it.
    pub fn waiting_for(&self) -> ha_cover_engine::WaitingFor {
        match self {
            Self::Mounts { .. } => ha_cover_engine::WaitingFor::Mount,
            Self::SocketDirectory { .. } => ha_cover_engine::WaitingFor::Socket,
            Self::Timer => ha_cover_engine::WaitingFor::Timer,
        }
    }
}

/// The mounts whose mount point is the connection's path or above it: a new one
/// among them is a file server mounted again where the connection leads.
#[derive(Debug)]
#[doc(hidden)]
pub struct Covering {
    path: PathBuf,
    ids: Vec<u64>,
}

impl Covering {
    pub(crate) fn new(path: &Path, table: &str) -> Self {
        let mut covering = Self {
            path: path.to_owned(),
            ids: Vec::new(),
        };
        covering.ids = covering.over_path(table);
        covering
    }

    fn over_path(&self, table: &str) -> Vec<u64> {
        table
            .lines()
            .filter_map(|line| {
                let mut fields = line.split(' ');
                let id = fields.next()?.parse().ok()?;
                let mount_point = unescape(fields.nth(3)?);
                self.path.starts_with(&mount_point).then_some(id)
            })
            .collect()
    }

    /// Whether a mount over the path appeared since the last look.
    pub(crate) fn appeared(&mut self, table: &str) -> bool {
        let now = self.over_path(table);
        let appeared = now.iter().any(|id| !self.ids.contains(id));
        self.ids = now;
        appeared
    }
}

/// Undoes mountinfo's octal escapes (`\040` for a space, ...).
fn unescape(field: &str) -> PathBuf {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\'
            && let Some(code) = bytes
                .get(i + 1..i + 4)
                .and_then(|d| u8::from_str_radix(std::str::from_utf8(d).ok()?, 8).ok())
        {
            out.push(code);
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    PathBuf::from(std::ffi::OsString::from_vec(out))
}

/// The mount table and what it says now. Reading it to its end makes the
/// kernel report the next change.
pub(crate) fn mount_table() -> io::Result<(DirectFd, String)> {
    let table = DirectFd::from(OwnedFd::from(File::open("/proc/self/mountinfo")?));
    let text = read_table(&table)?;
    Ok((table, text))
}

/// Reads the mount table again, from its start.
pub(crate) fn read_table(table: &DirectFd) -> io::Result<String> {
    sys::rewind(table.as_fd())?;
    let mut text = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match sys::read(table.as_fd(), &mut chunk) {
            Ok(0) => break,
            Ok(n) => text.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    String::from_utf8(text).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// An inotify instance watching `dir` for a socket (re)appearing in it.
pub(crate) fn watch_directory(dir: &Path) -> io::Result<Inotify> {
    let inotify = DirectFd::from(sys::inotify_init()?);
    sys::inotify_watch(
        inotify.as_fd(),
        dir,
        libc::IN_CREATE | libc::IN_MOVED_TO | libc::IN_ATTRIB,
    )?;
    Ok(Inotify(Some(inotify)))
}

/// An inotify descriptor closed on the background-close thread: closing an inotify
/// instance waits for an RCU grace period, milliseconds the caller's
/// retransmitted operation should not wait for.
#[derive(Debug)]
#[doc(hidden)]
pub struct Inotify(Option<DirectFd>);

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
            crate::background_close::close_later(fd);
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

/// The names the inotify events waiting on `inotify` are about, consuming them
/// (the descriptor is non-blocking: read until it says there is nothing left).
pub(crate) fn names_created(inotify: BorrowedFd<'_>) -> io::Result<Vec<OsString>> {
    let mut names = Vec::new();
    let mut events = [0u8; 4096];
    loop {
        let n = match sys::read(inotify, &mut events) {
            Ok(0) => return Ok(names),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(names),
            Err(e) => return Err(e),
        };
        // struct inotify_event: wd, mask, cookie, len (4 bytes each), then `len`
        // bytes of NUL-padded name.
        let mut at = 0;
        while at + 16 <= n {
            let len =
                u32::from_ne_bytes(events[at + 12..at + 16].try_into().expect("4 bytes")) as usize;
            let name = &events[at + 16..(at + 16 + len).min(n)];
            let name = &name[..name.iter().position(|&b| b == 0).unwrap_or(name.len())];
            names.push(OsString::from_vec(name.to_vec()));
            at += 16 + len;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "22 1 0:21 / /proc rw,nosuid - proc proc rw\n\
        25 1 8:1 / / rw - ext4 /dev/vda rw\n\
        40 25 0:40 / /tmp/ha\\040fuse/mnt rw - fuse ha-fuse:/src rw\n";

    #[test]
    fn the_mount_table_is_read_whole_and_again_from_its_start() {
        let (table, text) = mount_table().expect("the mount table");
        // Larger than one read's chunk on most systems, and complete: every
        // line ends, the last one too.
        assert!(text.ends_with('\n'), "{text:?}");
        let lines = text.lines().count();
        assert!(lines > 0);
        // Read again after it was read to its end: the same table, not the
        // empty rest of the first read. Other tests may mount meanwhile.
        let again = read_table(&table).expect("read again");
        assert!(again.ends_with('\n'), "{again:?}");
        assert!(again.lines().count() > 0);
        let first = text.lines().next();
        assert_eq!(again.lines().next(), first, "from the start");
    }

    #[test]
    fn only_a_new_mount_over_the_path_counts() {
        let path = Path::new("/tmp/ha fuse/mnt/data");
        let mut covering = Covering::new(path, TABLE);
        assert_eq!(covering.ids, [25, 40]);
        let detached = TABLE.replace(
            "40 25 0:40 / /tmp/ha\\040fuse/mnt rw - fuse ha-fuse:/src rw\n",
            "",
        );
        assert!(
            !covering.appeared(&detached),
            "a mount going away is not the server coming back"
        );
        let elsewhere = format!("{detached}41 25 0:41 / /other rw - fuse x rw\n");
        assert!(!covering.appeared(&elsewhere), "another mount is not ours");
        let back =
            format!("{elsewhere}42 25 0:42 / /tmp/ha\\040fuse/mnt rw - fuse ha-fuse:/src rw\n");
        assert!(covering.appeared(&back));
        assert!(!covering.appeared(&back), "seen once");
    }
}
