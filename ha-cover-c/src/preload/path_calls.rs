//! Path-level calls under a covered prefix: `stat`, `lstat`, `access`, `statfs`,
//! `faccessat`, `fstatat`, `statx` (and their `64` forms) wait for a server
//! that is down instead of failing at once; with `AT_EMPTY_PATH` and an empty
//! path, `fstatat` and `statx` are calls on the descriptor, covered as
//! `fstat` is. `chdir` and `fchdir` keep track of whether the current
//! directory is covered, for relative paths.

use std::ffi::{CStr, CString};

use libc::{c_char, c_int, c_uint};

use super::fd_calls::covered_int;
use super::{config, device, next, paths, wait};
use crate::{errno, recursion, table};

fn int_result(ret: c_int) -> Result<c_int, c_int> {
    if ret < 0 { Err(errno::get()) } else { Ok(ret) }
}

/// Runs `call` (relative to `dirfd`), waiting for the server if `path` is
/// covered; once it waited, `absolute` makes the call again with the absolute
/// path, in case `dirfd` is a dead descriptor.
///
/// # Safety
/// `path` is null or NUL-terminated.
unsafe fn waiting(
    dirfd: c_int,
    path: *const c_char,
    call: impl FnOnce() -> c_int,
    absolute: impl Fn(&CStr) -> c_int,
) -> c_int {
    if !config::active() || recursion::inside() {
        return call();
    }
    // SAFETY: see the function's contract.
    let Some(resolved) = (unsafe { paths::resolve(dirfd, path) }) else {
        return call();
    };
    let mut call = Some(call);
    let result = wait::path_call(&resolved, || match call.take() {
        Some(call) => int_result(call()),
        None => match CString::new(resolved.clone()) {
            Ok(path) => int_result(absolute(&path)),
            Err(_) => Err(libc::ENOENT),
        },
    });
    errno::ret(result)
}

/// `waiting`, then the device number of a covered path's status rewritten
/// (see [`device`]).
///
/// # Safety
/// As for `waiting`; `buf` is where the call writes a `struct stat`.
unsafe fn waiting_stat(
    dirfd: c_int,
    path: *const c_char,
    buf: *mut libc::stat,
    call: impl FnOnce() -> c_int,
    absolute: impl Fn(&CStr) -> c_int,
) -> c_int {
    // SAFETY: see the function's contract.
    let ret = unsafe { waiting(dirfd, path, call, absolute) };
    if ret == 0 && config::active() && !buf.is_null() {
        // SAFETY: as above.
        if let Some(resolved) = unsafe { paths::resolve(dirfd, path) } {
            // SAFETY: the call filled it.
            device::fix_stat(unsafe { &mut *buf }, &resolved);
        }
    }
    ret
}

macro_rules! stat_fn {
    ($($(#[$doc:meta])* fn $name:ident => $next:ident;)*) => {$(
        $(#[$doc])*
        ///
        /// # Safety
        /// As for the C function.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(path: *const c_char, buf: *mut libc::stat) -> c_int {
            // SAFETY: the caller's arguments, passed on.
            let call = || unsafe { next::$next(path, buf) };
            if !config::active() {
                return call();
            }
            // SAFETY: as above, with the absolute path the caller's resolves to.
            let absolute = |p: &CStr| unsafe { next::$next(p.as_ptr(), buf) };
            // SAFETY: `path` and `buf` are the caller's.
            unsafe { waiting_stat(libc::AT_FDCWD, path, buf, call, absolute) }
        }
    )*};
}

stat_fn! {
    /// `stat(2)`, waiting for a covered path's server.
    fn stat => stat;
    /// `stat64(2)`, waiting for a covered path's server.
    fn stat64 => stat64;
    /// `lstat(2)`, waiting for a covered path's server.
    fn lstat => lstat;
    /// `lstat64(2)`, waiting for a covered path's server.
    fn lstat64 => lstat64;
}

macro_rules! path_fn {
    ($($(#[$doc:meta])* fn $name:ident(path $(, $arg:ident: $ty:ty)*) => $next:ident;)*) => {$(
        $(#[$doc])*
        ///
        /// # Safety
        /// As for the C function.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(path: *const c_char $(, $arg: $ty)*) -> c_int {
            // SAFETY: the caller's arguments, passed on.
            let call = || unsafe { next::$next(path $(, $arg)*) };
            if !config::active() {
                return call();
            }
            // SAFETY: as above, with the absolute path the caller's resolves to.
            let absolute = |p: &CStr| unsafe { next::$next(p.as_ptr() $(, $arg)*) };
            // SAFETY: `path` is the caller's.
            unsafe { waiting(libc::AT_FDCWD, path, call, absolute) }
        }
    )*};
}

path_fn! {
    /// `access(2)`, waiting for a covered path's server.
    fn access(path, mode: c_int) => access;
    /// `statfs(2)`, waiting for a covered path's server.
    fn statfs(path, buf: *mut libc::statfs) => statfs;
    /// `statfs64(2)`, waiting for a covered path's server.
    fn statfs64(path, buf: *mut libc::statfs) => statfs64;
}

/// `faccessat(2)`, waiting for a covered path's server.
///
/// # Safety
/// As for the C function.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn faccessat(
    dirfd: c_int,
    path: *const c_char,
    mode: c_int,
    flags: c_int,
) -> c_int {
    // SAFETY: the caller's arguments, passed on.
    let call = || unsafe { next::faccessat(dirfd, path, mode, flags) };
    // SAFETY: as above, with the absolute path.
    let absolute = |p: &CStr| unsafe { next::faccessat(libc::AT_FDCWD, p.as_ptr(), mode, flags) };
    // SAFETY: `path` is the caller's.
    unsafe { waiting(dirfd, path, call, absolute) }
}

/// Whether a `*at` call names the descriptor itself.
///
/// # Safety
/// `path` is null or NUL-terminated.
unsafe fn on_descriptor(dirfd: c_int, path: *const c_char, flags: c_int) -> bool {
    // SAFETY: see the function's contract.
    flags & libc::AT_EMPTY_PATH != 0
        && !path.is_null()
        && unsafe { *path } == 0
        && table::is_covered(dirfd)
}

macro_rules! fstatat_fn {
    ($($(#[$doc:meta])* fn $name:ident => $next:ident;)*) => {$(
        $(#[$doc])*
        ///
        /// # Safety
        /// As for the C function.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(
            dirfd: c_int,
            path: *const c_char,
            buf: *mut libc::stat,
            flags: c_int,
        ) -> c_int {
            // SAFETY: the caller's arguments.
            if unsafe { on_descriptor(dirfd, path, flags) } {
                // SAFETY: the caller's arguments, passed on.
                let ret = covered_int(dirfd, |fd| unsafe { next::$next(fd, path, buf, flags) });
                if ret == 0 {
                    // SAFETY: filled by the call.
                    unsafe { device::fix_stat_of(dirfd, buf) };
                }
                return ret;
            }
            // SAFETY: the caller's arguments, passed on.
            let call = || unsafe { next::$next(dirfd, path, buf, flags) };
            // SAFETY: as above, with the absolute path.
            let absolute = |p: &CStr| unsafe { next::$next(libc::AT_FDCWD, p.as_ptr(), buf, flags) };
            // SAFETY: `path` and `buf` are the caller's.
            unsafe { waiting_stat(dirfd, path, buf, call, absolute) }
        }
    )*};
}

fstatat_fn! {
    /// `fstatat` (the `newfstatat` system call): covered on an HA descriptor
    /// with `AT_EMPTY_PATH`, waiting for a covered path's server otherwise.
    fn fstatat => fstatat;
    /// `fstatat64`: `fstatat` on 64-bit Linux.
    fn fstatat64 => fstatat64;
}

/// `statx(2)`: covered on an HA descriptor with `AT_EMPTY_PATH`, waiting for
/// a covered path's server otherwise.
///
/// # Safety
/// As for the C function.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn statx(
    dirfd: c_int,
    path: *const c_char,
    flags: c_int,
    mask: c_uint,
    buf: *mut libc::statx,
) -> c_int {
    // SAFETY: the caller's arguments.
    if unsafe { on_descriptor(dirfd, path, flags) } {
        // SAFETY: the caller's arguments, passed on.
        let ret = covered_int(dirfd, |fd| unsafe {
            next::statx(fd, path, flags, mask, buf)
        });
        if ret == 0 {
            // SAFETY: filled by the call.
            unsafe { device::fix_statx_of(dirfd, buf) };
        }
        return ret;
    }
    // SAFETY: the caller's arguments, passed on.
    let call = || unsafe { next::statx(dirfd, path, flags, mask, buf) };
    // SAFETY: as above, with the absolute path.
    let absolute = |p: &CStr| unsafe { next::statx(libc::AT_FDCWD, p.as_ptr(), flags, mask, buf) };
    // SAFETY: `path` is the caller's.
    let ret = unsafe { waiting(dirfd, path, call, absolute) };
    if ret == 0 && config::active() && !buf.is_null() {
        // SAFETY: the caller's path.
        if let Some(resolved) = unsafe { paths::resolve(dirfd, path) } {
            // SAFETY: filled by the call.
            device::fix_statx(unsafe { &mut *buf }, &resolved);
        }
    }
    ret
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
    // SAFETY: as above, with the absolute path.
    let absolute = |p: &CStr| unsafe { next::chdir(p.as_ptr()) };
    // SAFETY: `path` is the caller's.
    let ret = unsafe { waiting(libc::AT_FDCWD, path, call, absolute) };
    if ret == 0 && config::active() {
        paths::directory_changed();
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
        paths::directory_changed();
    }
    ret
}
