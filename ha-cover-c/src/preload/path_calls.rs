//! Path-level calls under a covered prefix: `stat`, `lstat`, `access`, `statfs`,
//! `faccessat`, `fstatat`, `statx` (and their `64` forms) wait for a server
//! that is down instead of failing at once; with `AT_EMPTY_PATH` and an empty
//! path, `fstatat` and `statx` are calls on the descriptor, covered as
//! `fstat` is. On the mount point itself they are made relative to its
//! served directory (see [`root`](super::root)): the directory underneath a
//! detached mount would answer them too.

use std::ffi::{CStr, CString};

use libc::{c_char, c_int, c_uint};

use super::fd_calls::covered_int;
use super::{config, device, next, paths, root, wait};
use crate::{errno, recursion, syscall, table};

fn int_result(ret: c_int) -> Result<c_int, c_int> {
    if ret < 0 { Err(errno::get()) } else { Ok(ret) }
}

/// Which covered calls are made relative to the prefix's served directory
/// (see [`root`]); the name is the call's for [`stop`](super::stop).
#[derive(Clone, Copy)]
pub(crate) enum Anchor {
    /// A call on the prefix itself only.
    Prefix(&'static str),
    /// Every call.
    Always(&'static str),
}

/// Runs `call` (relative to `dirfd`), waiting for the server if `path` is
/// covered; once it waited, `at` makes the call again with the absolute path
/// (relative to `AT_FDCWD`), in case `dirfd` is a dead descriptor. A call
/// that `anchor` says is anchored is only ever made by `at`, relative to the
/// prefix's served directory.
///
/// # Safety
/// `path` is null or NUL-terminated.
pub(crate) unsafe fn waiting(
    dirfd: c_int,
    path: *const c_char,
    anchor: Anchor,
    call: impl FnOnce() -> c_int,
    at: impl Fn(c_int, &CStr) -> c_int,
) -> c_int {
    if !config::active() || recursion::inside() {
        return call();
    }
    // SAFETY: see the function's contract.
    let Some(resolved) = (unsafe { paths::resolve(dirfd, path) }) else {
        return call();
    };
    let (anchored, stop) = match anchor {
        Anchor::Always(stop) => (true, stop),
        Anchor::Prefix(stop) => (paths::prefix_of(&resolved) == Some(&resolved[..]), stop),
    };
    // SAFETY: not null, since `resolve` found it covered.
    let trailing_slash = unsafe { CStr::from_ptr(path) }.to_bytes().ends_with(b"/");
    let mut call = Some(call);
    let result = wait::path_call(&resolved, || {
        if anchored {
            return root::at(&resolved, trailing_slash, stop, &at);
        }
        match call.take() {
            Some(call) => int_result(call()),
            None => match CString::new(resolved.clone()) {
                Ok(path) => int_result(at(libc::AT_FDCWD, &path)),
                Err(_) => Err(libc::ENOENT),
            },
        }
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
    at: impl Fn(c_int, &CStr) -> c_int,
) -> c_int {
    // SAFETY: see the function's contract.
    let ret = unsafe { waiting(dirfd, path, Anchor::Prefix("stat"), call, at) };
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
    ($($(#[$doc:meta])* fn $name:ident => $next:ident, $at:ident($flags:expr);)*) => {$(
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
            // SAFETY: as above, with a path the caller's resolves to.
            let at = |dirfd, p: &CStr| unsafe { next::$at(dirfd, p.as_ptr(), buf, $flags) };
            // SAFETY: `path` and `buf` are the caller's.
            unsafe { waiting_stat(libc::AT_FDCWD, path, buf, call, at) }
        }
    )*};
}

stat_fn! {
    /// `stat(2)`, waiting for a covered path's server.
    fn stat => stat, fstatat(0);
    /// `stat64(2)`, waiting for a covered path's server.
    fn stat64 => stat64, fstatat64(0);
    /// `lstat(2)`, waiting for a covered path's server.
    fn lstat => lstat, fstatat(libc::AT_SYMLINK_NOFOLLOW);
    /// `lstat64(2)`, waiting for a covered path's server.
    fn lstat64 => lstat64, fstatat64(libc::AT_SYMLINK_NOFOLLOW);
}

/// `access(2)`, waiting for a covered path's server.
///
/// # Safety
/// As for the C function.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn access(path: *const c_char, mode: c_int) -> c_int {
    // SAFETY: the caller's arguments, passed on.
    let call = || unsafe { next::access(path, mode) };
    if !config::active() {
        return call();
    }
    // SAFETY: as above, with a path the caller's resolves to.
    let at = |dirfd, p: &CStr| unsafe { next::faccessat(dirfd, p.as_ptr(), mode, 0) };
    // SAFETY: `path` is the caller's.
    unsafe { waiting(libc::AT_FDCWD, path, Anchor::Prefix("stat"), call, at) }
}

/// `euidaccess(3)` (`sort` checks its inputs with it), waiting for a
/// covered path's server: glibc's calls `access` or `faccessat` internally,
/// where no interposition reaches.
///
/// # Safety
/// As for the C function.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn euidaccess(path: *const c_char, mode: c_int) -> c_int {
    // SAFETY: the caller's arguments, passed on.
    let call = || unsafe { next::euidaccess(path, mode) };
    if !config::active() {
        return call();
    }
    // SAFETY: as above, with a path the caller's resolves to.
    let at =
        |dirfd, p: &CStr| unsafe { next::faccessat(dirfd, p.as_ptr(), mode, libc::AT_EACCESS) };
    // SAFETY: `path` is the caller's.
    unsafe { waiting(libc::AT_FDCWD, path, Anchor::Prefix("stat"), call, at) }
}

/// `eaccess(3)`: glibc's other name of `euidaccess`.
///
/// # Safety
/// As for the C function.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eaccess(path: *const c_char, mode: c_int) -> c_int {
    // SAFETY: the caller's arguments.
    unsafe { euidaccess(path, mode) }
}

/// `path` relative to `dirfd` as a path of its own, for calls that have no
/// `*at` form: through the descriptor's `/proc/self/fd` link.
fn through_proc(dirfd: c_int, path: &CStr) -> Option<CString> {
    if dirfd == libc::AT_FDCWD {
        return Some(path.to_owned());
    }
    let mut full = format!("/proc/self/fd/{dirfd}/").into_bytes();
    match path.to_bytes() {
        b"" => full.push(b'.'),
        relative => full.extend_from_slice(relative),
    }
    CString::new(full).ok()
}

macro_rules! xattr_fn {
    ($($(#[$doc:meta])* fn $name:ident;)*) => {$(
        $(#[$doc])*
        ///
        /// # Safety
        /// As for the C function.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(
            path: *const c_char,
            name: *const c_char,
            value: *mut libc::c_void,
            size: usize,
        ) -> isize {
            // SAFETY: the caller's arguments, passed on.
            let call = || unsafe { next::$name(path, name, value, size) };
            if !config::active() {
                return call();
            }
            // An attribute's size fits a `c_int` (the kernel's limit is 64 KiB).
            let narrow = |n: isize| c_int::try_from(n).unwrap_or(c_int::MAX);
            let at = |dirfd, p: &CStr| match through_proc(dirfd, p) {
                // SAFETY: as above, with a path the caller's resolves to.
                Some(p) => narrow(unsafe { next::$name(p.as_ptr(), name, value, size) }),
                None => errno::ret(Err(libc::ENOENT)),
            };
            // SAFETY: `path` is the caller's.
            unsafe {
                waiting(libc::AT_FDCWD, path, Anchor::Prefix("stat"), || narrow(call()), at)
            }
            .try_into()
            .unwrap_or(-1)
        }
    )*};
}

xattr_fn! {
    /// `getxattr(2)` (`ls -l` asks it for ACLs), waiting for a covered
    /// path's server.
    fn getxattr;
    /// `lgetxattr(2)`, waiting for a covered path's server.
    fn lgetxattr;
}

/// `statfs` of `path` relative to `dirfd`, which has no system call.
///
/// # Safety
/// `buf` is where the caller wants a `struct statfs`.
unsafe fn statfs_at(dirfd: c_int, path: &CStr, buf: *mut libc::statfs) -> c_int {
    if dirfd == libc::AT_FDCWD {
        // SAFETY: see the function's contract.
        return unsafe { next::statfs(path.as_ptr(), buf) };
    }
    let fd = match syscall::openat(dirfd, path, libc::O_PATH | libc::O_CLOEXEC, 0) {
        Ok(fd) => fd,
        Err(e) => return errno::ret(Err(e)),
    };
    // SAFETY: as above, on a descriptor of the file.
    let ret = unsafe { next::fstatfs(fd, buf) };
    let e = errno::get();
    let _ = syscall::close(fd);
    errno::set(e);
    ret
}

macro_rules! statfs_fn {
    ($($(#[$doc:meta])* fn $name:ident => $next:ident;)*) => {$(
        $(#[$doc])*
        ///
        /// # Safety
        /// As for the C function.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(path: *const c_char, buf: *mut libc::statfs) -> c_int {
            // SAFETY: the caller's arguments, passed on.
            let call = || unsafe { next::$next(path, buf) };
            if !config::active() {
                return call();
            }
            // SAFETY: as above, with a path the caller's resolves to.
            let at = |dirfd, p: &CStr| unsafe { statfs_at(dirfd, p, buf) };
            // SAFETY: `path` is the caller's.
            unsafe { waiting(libc::AT_FDCWD, path, Anchor::Prefix("stat"), call, at) }
        }
    )*};
}

statfs_fn! {
    /// `statfs(2)`, waiting for a covered path's server.
    fn statfs => statfs;
    /// `statfs64(2)`, waiting for a covered path's server.
    fn statfs64 => statfs64;
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
    // SAFETY: as above, with a path the caller's resolves to.
    let at = |dirfd, p: &CStr| unsafe { next::faccessat(dirfd, p.as_ptr(), mode, flags) };
    // SAFETY: `path` is the caller's.
    unsafe { waiting(dirfd, path, Anchor::Prefix("stat"), call, at) }
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
            // SAFETY: as above, with a path the caller's resolves to.
            let at = |dirfd, p: &CStr| unsafe { next::$next(dirfd, p.as_ptr(), buf, flags) };
            // SAFETY: `path` and `buf` are the caller's.
            unsafe { waiting_stat(dirfd, path, buf, call, at) }
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
    // SAFETY: as above, with a path the caller's resolves to.
    let at = |dirfd, p: &CStr| unsafe { next::statx(dirfd, p.as_ptr(), flags, mask, buf) };
    // SAFETY: `path` is the caller's.
    let ret = unsafe { waiting(dirfd, path, Anchor::Prefix("stat"), call, at) };
    if ret == 0 && config::active() && !buf.is_null() {
        // SAFETY: the caller's path.
        if let Some(resolved) = unsafe { paths::resolve(dirfd, path) } {
            // SAFETY: filled by the call.
            device::fix_statx(unsafe { &mut *buf }, &resolved);
        }
    }
    ret
}
