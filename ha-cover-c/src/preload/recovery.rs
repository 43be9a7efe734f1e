//! The built-in recovery of a descriptor the preload mode covers: reopen its
//! path with safe flags, check it is the same file, put it under the dead
//! descriptor's number (and its dups'), seek back to where the dead one was,
//! take back the process's advisory locks on it.

use libc::{c_int, c_void};

use super::locks::{self, Range};
use super::registry::{self, Entry};
use super::{config, log, paths, root, wait};
use crate::types::HA_RETRY;
use crate::{errno, repoint, syscall, table};

/// The recovery function of every descriptor the preload mode attaches; its
/// handle is the key of the descriptor's [`Entry`].
///
/// # Safety
/// Called by the cover loop with an HA descriptor and its handle.
pub(crate) unsafe extern "C" fn builtin(fd: c_int, handle: *mut c_void) -> c_int {
    let Some(entry) = registry::get(handle as usize) else {
        // Closed while the call that failed was under way.
        return -1;
    };
    // The kernel keeps a dead file's position.
    let position = syscall::lseek(fd, 0, libc::SEEK_CUR).unwrap_or(0);
    let flags = ha_cover_rt::frontend::safe_reopen_flags(entry.flags);
    // Relative to the prefix's directory on the server: never a file of the
    // same name in the directory underneath a detached mount.
    let reopened = root::at(&entry.path, false, "reopen", |root, relative| {
        syscall::openat(root, relative, flags, 0).unwrap_or_else(|errno| {
            errno::set(errno);
            -1
        })
    });
    let fresh = match reopened {
        Ok(fresh) => fresh,
        Err(errno) => return not_reopened(&entry, errno),
    };
    if let Some(expected) = entry.inode.filter(|_| config::get().verify)
        && let Ok(st) = syscall::fstat(fresh)
        && st.st_ino != expected
    {
        let _ = syscall::close(fresh);
        log::line(&format!(
            "ha-cover: {} is another file now (inode {}, was {expected}): fd {fd} not recovered \
             (HA_COVER_VERIFY=0 skips this check)",
            String::from_utf8_lossy(&entry.path),
            st.st_ino
        ));
        return -1;
    }
    let moved = repoint::repoint(fd, fresh);
    // Closed before the locks are taken: closing any descriptor of a file
    // releases the process's POSIX locks on it.
    let _ = syscall::close(fresh);
    if let Err(errno) = moved {
        errno::set(errno);
        return HA_RETRY;
    }
    if entry.flags & libc::O_APPEND == 0 && syscall::lseek(fd, position, libc::SEEK_SET).is_err() {
        return HA_RETRY;
    }
    if let Err(message) = take_locks_again(fd, &entry) {
        shut(fd, &entry, &message);
        return -1;
    }
    // The engine's events say it was recovered (`HA_COVER_LOG`).
    fd
}

/// Whether the server of `entry`'s prefix is down.
fn down(entry: &Entry) -> bool {
    paths::prefix_of(&entry.path).is_some_and(|prefix| !wait::server_up(prefix))
}

/// The reopen failed: wait for the server while it is down, give up when it
/// is up and the file is not there (or not ours to open).
fn not_reopened(entry: &Entry, errno: c_int) -> c_int {
    errno::set(errno);
    if down(entry) {
        return HA_RETRY;
    }
    match errno {
        libc::ENOENT | libc::EACCES | libc::EPERM | libc::EISDIR | libc::ENOTDIR => {
            log::line(&format!(
                "ha-cover: reopening {} after its server came back: {}: not recovered",
                String::from_utf8_lossy(&entry.path),
                log::errno_name(errno)
            ));
            -1
        }
        _ => HA_RETRY,
    }
}

fn take_locks_again(fd: c_int, entry: &Entry) -> Result<(), String> {
    let ofd: Vec<Range> = {
        let locks = entry.locks.lock().unwrap_or_else(|e| e.into_inner());
        locks.held().map(|(_, range)| range).collect()
    };
    for range in ofd {
        syscall::fcntl_lock(fd, libc::F_OFD_SETLK, &range.flock())
            .map_err(|errno| lost(&range, errno))?;
    }
    // The process's POSIX locks on the file, which the close of the reopened
    // descriptor released (or the death took): through this descriptor, or
    // one of the same file that may take that kind of lock.
    for range in locks::process_held(&entry.path) {
        match syscall::fcntl_lock(fd, libc::F_SETLK, &range.flock()) {
            Ok(_) => {}
            Err(libc::EBADF) => {
                if let Some(other) = twin_for(fd, &entry.path, range.kind) {
                    syscall::fcntl_lock(other, libc::F_SETLK, &range.flock())
                        .map_err(|errno| lost(&range, errno))?;
                }
                // Otherwise no descriptor of the new file may take it yet:
                // the one that took it will, when it recovers.
            }
            Err(errno) => return Err(lost(&range, errno)),
        }
    }
    Ok(())
}

fn lost(range: &Range, errno: c_int) -> String {
    let end = if range.end == u64::MAX {
        "end".to_owned()
    } else {
        range.end.to_string()
    };
    format!(
        "could not take back its lock on bytes {}..{end} ({})",
        range.start,
        log::errno_name(errno)
    )
}

/// Another covered descriptor open on the same file as `fd` (already
/// recovered) whose access mode allows a lock of `kind`.
fn twin_for(fd: c_int, path: &[u8], kind: i16) -> Option<c_int> {
    let here = syscall::fstat(fd).ok()?;
    let needed = if kind == libc::F_WRLCK as i16 {
        libc::O_WRONLY
    } else {
        libc::O_RDONLY
    };
    registry::descriptors_of(path).into_iter().find(|&other| {
        other != fd
            && syscall::fstat(other)
                .is_ok_and(|st| (st.st_dev, st.st_ino) == (here.st_dev, here.st_ino))
            && syscall::status_flags(other).is_ok_and(|flags| {
                let access = flags & libc::O_ACCMODE;
                access == libc::O_RDWR || access == needed
            })
    })
}

/// A descriptor that is back without the locks the program holds must not be
/// used as if it had them: it is replaced with one on which every read, write
/// and lock fails with `EBADF`, and the program is told on stderr.
fn shut(fd: c_int, entry: &Entry, why: &str) {
    log::line(&format!(
        "ha-cover: {} (fd {fd}) is back, but {why}: the descriptor now fails with EBADF",
        String::from_utf8_lossy(&entry.path)
    ));
    if let Ok(nothing) = syscall::openat(libc::AT_FDCWD, c"/", libc::O_PATH | libc::O_CLOEXEC, 0) {
        let _ = repoint::repoint(fd, nothing);
        let _ = syscall::close(nothing);
    }
    if let Some(member) = table::get(fd) {
        member.group.shared.lock().group.suspend();
    }
}
