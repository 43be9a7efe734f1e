//! Path-level calls under a covered prefix while its server is down: wait for
//! it to be back (within the deadline) instead of failing at once.
//!
//! While a FUSE server is dead its mount answers `ENOTCONN`; once the dead
//! mount is detached, paths under it name the empty directory underneath
//! (`ENOENT`). Either way the prefix is not served by a FUSE or network file
//! system at that moment: that is what tells a server that is down from a file
//! that does not exist. So prefixes are meant to be mount points of such file
//! systems (or directories inside them).

use std::ffi::{CString, OsString};
use std::os::unix::ffi::OsStringExt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use ha_cover_rt::Origin;
use ha_cover_rt::frontend::Watcher;
use libc::c_int;

use super::{config, paths};
use crate::syscall;

/// `statfs` types of the file systems whose server can die and come back:
/// FUSE, NFS, SMB/CIFS, Ceph, 9p, AFS, Coda.
const SERVED: [i64; 9] = [
    0x6573_5546,
    0x6969,
    0x517b,
    0xfe53_4d42,
    0xff53_4d42,
    0x00c3_6400,
    0x0102_1997,
    0x5346_414f,
    0x7375_7245,
];

/// Whether a `statfs` type is one of those file systems.
pub(crate) fn served_type(f_type: i64) -> bool {
    SERVED.contains(&f_type)
}

/// Whether `prefix` is served by a live FUSE or network file system. Only an
/// answer about the moment it was asked: a call that must not land in the
/// directory underneath a mount detached since is made through [`root`].
///
/// [`root`]: super::root
pub(crate) fn server_up(prefix: &[u8]) -> bool {
    let Ok(path) = CString::new(if prefix.is_empty() { b"/" } else { prefix }) else {
        return false;
    };
    syscall::statfs(&path).is_ok_and(|st| served_type(st.f_type))
}

/// Errors that only a dead connection gives: never a file's own answer.
pub(crate) fn dead(errno: c_int) -> bool {
    matches!(errno, libc::ENOTCONN | libc::ECONNABORTED | libc::ESTALE)
}

/// Errors a path-level call gets while its server is down, but that are
/// also answers about the file (the mount detached leaves an empty directory).
fn may_be_down(errno: c_int) -> bool {
    matches!(
        errno,
        libc::EIO | libc::ENOENT | libc::ENOTDIR | libc::ENODEV
    )
}

/// Runs `call`, a call on the covered path `path`, again each time it fails
/// the way calls fail while the server is down and the server is not up,
/// once it is up, within the deadline. Its own result otherwise. A call
/// that creates, or one on the prefix itself (the mount point is a directory
/// underneath too), must be made through [`root`](super::root), which fails
/// with `ENOTCONN` where a plain call would succeed underneath.
pub(crate) fn path_call<T>(
    path: &[u8],
    mut call: impl FnMut() -> Result<T, c_int>,
) -> Result<T, c_int> {
    let Some(prefix) = paths::prefix_of(path) else {
        return call();
    };
    let mut deadline = None;
    let mut after_up = false;
    let mut pause = Duration::from_millis(1);
    loop {
        let result = call();
        let connection_died = match result {
            Err(errno) if dead(errno) => true,
            Err(errno) if may_be_down(errno) => false,
            _ => return result,
        };
        let deadline =
            *deadline.get_or_insert_with(|| config::get().deadline.map(|d| Instant::now() + d));
        if server_up(prefix) {
            if connection_died {
                // Killed again since the check, or a dead directory
                // descriptor: try again shortly, within the deadline.
                if deadline.is_some_and(|d| Instant::now() + pause > d) {
                    return result;
                }
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
                continue;
            }
            // The server may have come back while the call failed: one more
            // try tells, then the error is the file's own.
            if after_up {
                return result;
            }
            after_up = true;
            continue;
        }
        if !waited(prefix, deadline) {
            // Given up with the server still down: an error such as
            // `ENOENT` came from the directory underneath its detached mount
            // and says nothing of the file; the dead connection's does.
            return if connection_died {
                result
            } else {
                Err(libc::ENOTCONN)
            };
        }
        after_up = true;
    }
}

/// [`until_up`], with a line on stderr under `HA_COVER_LOG` when it is up.
pub(crate) fn waited(prefix: &[u8], deadline: Option<Instant>) -> bool {
    let began = Instant::now();
    let up = until_up(prefix, deadline);
    if up {
        super::log::recovery(|| {
            format!(
                "ha-cover: waited {} ms for the server of {}",
                began.elapsed().as_millis(),
                String::from_utf8_lossy(prefix)
            )
        });
    }
    up
}

/// Waits until `prefix` is served again, or `deadline`; true when it is.
pub(crate) fn until_up(prefix: &[u8], deadline: Option<Instant>) -> bool {
    let mut watcher: Option<Watcher> = None;
    loop {
        if server_up(prefix) {
            return true;
        }
        let left = match deadline {
            Some(deadline) => deadline.saturating_duration_since(Instant::now()),
            None => Duration::MAX,
        };
        if left.is_zero() {
            return false;
        }
        let watcher = watcher.get_or_insert_with(|| {
            let path = PathBuf::from(OsString::from_vec(prefix.to_vec()));
            Watcher::for_origin(&Origin::File { path, flags: 0 })
        });
        // The mount table wakes the wait when the server mounts again; the
        // limit is for what it cannot see (a server that answers again on a
        // mount that was never detached).
        watcher.wait(left.min(Duration::from_millis(50)));
    }
}
