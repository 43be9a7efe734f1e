//! Making descriptors the preload mode covers HA-aware: those a covered open
//! returns, and those the process inherited (a shell's `< /mnt/a/file`).

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::PathBuf;
use std::sync::Mutex;

use libc::c_int;

use super::registry::{self, Entry};
use super::{config, paths, recovery, wait};
use crate::group::{Handle, RecoveryFn};
use crate::{attach, syscall, table};

/// Attaches `fd`, just opened from the covered absolute `path` with `flags`,
/// with the built-in recovery and the configured policy. A descriptor that
/// cannot be attached stays an ordinary one.
pub(crate) fn opened(fd: c_int, path: Vec<u8>, flags: c_int) {
    if flags & libc::O_PATH != 0 {
        // Nothing to read or write through it.
        return;
    }
    let key = registry::new_key();
    let recovery = RecoveryFn {
        func: recovery::builtin,
        handle: Handle(registry::handle(key)),
    };
    // The kernel just handed out this number: whatever the table says about
    // it describes a descriptor closed behind the library's back.
    drop(table::remove(fd));
    let origin = PathBuf::from(OsString::from_vec(path.clone()));
    if attach::attach(fd, recovery, 0, Some(origin)).is_err() {
        return;
    }
    let Some(member) = table::get(fd) else {
        return;
    };
    {
        let config = config::get();
        let state = &mut member.group.shared.lock().group;
        state.set_deadline(config.deadline);
        state.set_attempt_limit(config.attempts);
    }
    let inode = syscall::fstat(fd).ok().map(|st| st.st_ino);
    let entry = Entry {
        path,
        flags,
        inode,
        locks: Mutex::default(),
    };
    registry::insert(key, &member.group, entry);
}

/// Attaches the descriptors the process was started with that lead under a
/// covered prefix.
pub(crate) fn inherited() {
    let Ok(dir) = std::fs::read_dir("/proc/self/fd") else {
        return;
    };
    let fds: Vec<c_int> = dir
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    for fd in fds {
        let Ok(target) = std::fs::read_link(format!("/proc/self/fd/{fd}")) else {
            continue;
        };
        let target = target.as_os_str().as_bytes();
        if target.first() != Some(&b'/') {
            // A pipe, a socket, an anonymous file.
            continue;
        }
        let mut path = paths::normalize(target);
        if paths::prefix_of(&path).is_none() {
            match under_the_only_prefix(fd, &path) {
                Some(full) => path = full,
                None => continue,
            }
        }
        if table::is_covered(fd) {
            continue;
        }
        if let Ok(flags) = syscall::status_flags(fd) {
            opened(fd, path, flags);
        }
    }
}

/// The covered path of `fd`, inherited open on a file whose server died and
/// whose mount was detached before this program started (a shell's
/// `> /mnt/a/out` then `exec`): the kernel names such a descriptor from the
/// detached mount's root (`/out`), under no prefix. With one prefix (the
/// mount point prefixes are meant to be) that names it; with more, which
/// mount it was is unknown and the descriptor stays an ordinary one.
fn under_the_only_prefix(fd: c_int, path: &[u8]) -> Option<Vec<u8>> {
    let [prefix] = config::get().prefixes.as_slice() else {
        return None;
    };
    // Only a descriptor whose connection is dead: a live one on another file
    // system is named from its mount point, and is not covered.
    match syscall::fstatfs(fd) {
        Err(errno) if wait::dead(errno) => {}
        _ => return None,
    }
    let mut full = prefix.clone();
    full.extend_from_slice(path);
    Some(full)
}
