//! The current directory: `chdir` to a covered directory waits for its
//! server and enters it on the server's mount, never the directory underneath
//! (see [`root`](super::root)); `chdir` and `fchdir` keep track of whether
//! relative paths are covered.

use std::ffi::CStr;

use libc::{c_char, c_int};

use super::path_calls::{Anchor, waiting};
use super::{config, next, paths, wait};
use crate::{errno, syscall};

/// Enters `path` relative to `dirfd` unless it is a directory whose server
/// is dead (which would make every relative call wait).
fn enter(dirfd: c_int, path: &CStr) -> c_int {
    let flags = libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC;
    let entered = syscall::openat(dirfd, path, flags, 0).and_then(|fd| {
        let entered = match syscall::fstatfs(fd) {
            Err(errno) if wait::dead(errno) => Err(errno),
            _ => syscall::fchdir(fd),
        };
        let _ = syscall::close(fd);
        entered
    });
    errno::ret(entered.map(|_| 0))
}

/// `chdir(2)`: waits for a covered directory's server, and learns whether
/// relative paths are covered from now on.
///
/// # Safety
/// As for `chdir(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chdir(path: *const c_char) -> c_int {
    // SAFETY: the caller's argument, passed on.
    let call = || unsafe { next::chdir(path) };
    if !config::active() {
        return call();
    }
    // Resolved before: a relative path is relative to the directory it leaves.
    // SAFETY: the caller's path.
    let covered = unsafe { paths::resolve(libc::AT_FDCWD, path) };
    // SAFETY: `path` is the caller's.
    let ret = unsafe { waiting(libc::AT_FDCWD, path, Anchor::Always("chdir"), call, enter) };
    if ret == 0 {
        paths::directory_changed(covered);
    }
    ret
}

/// `fchdir(2)`: learns whether relative paths are covered from now on.
///
/// # Safety
/// As for `fchdir(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fchdir(fd: c_int) -> c_int {
    // SAFETY: the caller's argument, passed on.
    let ret = unsafe { next::fchdir(fd) };
    if ret == 0 && config::active() {
        paths::directory_changed(None);
    }
    ret
}
