//! The open family: `open`, `open64`, `openat`, `openat64`, `creat`,
//! `creat64`, and the fortified `__open_2`, `__open64_2`, `__openat_2`,
//! `__openat64_2`. A file opened under a covered prefix is attached with the
//! built-in recovery; every other open costs one load more than glibc's.
//!
//! `open` and `openat` are variadic in C: the mode is read here as one more
//! fixed parameter, where the 64-bit Linux ABIs put it (see `ha_open`).

use std::ffi::CStr;

use libc::{c_char, c_int, c_uint, mode_t};

use super::{adopt, config, next, paths, root, wait};
use crate::{errno, recursion};

/// Opens through `call` (glibc's open, as the program asked), or, once the
/// server was found down, an open of the absolute path. A covered path waits
/// for its server and is attached. An open that creates, or one
/// of the prefix itself, is made relative to the prefix's served directory
/// (see [`root`]).
///
/// # Safety
/// `path` is null or NUL-terminated.
unsafe fn covered(
    dirfd: c_int,
    path: *const c_char,
    flags: c_int,
    mode: c_uint,
    call: impl FnOnce() -> c_int,
) -> c_int {
    // SAFETY: see the function's contract.
    let Some(absolute) = (unsafe { paths::resolve(dirfd, path) }) else {
        return call();
    };
    if recursion::inside() {
        // A recovery function's own opens are its business.
        return call();
    }
    let creates = flags & libc::O_CREAT != 0 || flags & libc::O_TMPFILE == libc::O_TMPFILE;
    let anchored = creates || paths::prefix_of(&absolute) == Some(absolute.as_slice());
    // SAFETY: not null, since `resolve` found it covered.
    let trailing_slash = unsafe { CStr::from_ptr(path) }.to_bytes().ends_with(b"/");
    let stop = if creates { "create" } else { "open" };
    let mut call = Some(call);
    let result = wait::path_call(&absolute, || {
        if anchored {
            return root::at(&absolute, trailing_slash, stop, |root, relative| {
                // SAFETY: a NUL-terminated path.
                unsafe { next::openat(root, relative.as_ptr(), flags, mode) }
            });
        }
        let fd = match call.take() {
            Some(call) => call(),
            // Again after the server came back: a directory descriptor the
            // path was relative to may be a dead one.
            None => open_absolute(&absolute, flags, mode),
        };
        if fd < 0 { Err(errno::get()) } else { Ok(fd) }
    });
    match result {
        Ok(fd) => {
            adopt::opened(fd, absolute, flags);
            fd
        }
        Err(e) => errno::ret(Err(e)),
    }
}

fn open_absolute(path: &[u8], flags: c_int, mode: c_uint) -> c_int {
    let Ok(path) = std::ffi::CString::new(path) else {
        return errno::ret(Err(libc::ENOENT));
    };
    // SAFETY: a NUL-terminated path.
    unsafe { next::openat(libc::AT_FDCWD, path.as_ptr(), flags, mode) }
}

macro_rules! open_fn {
    ($($(#[$doc:meta])* fn $name:ident[$($dirfd:ident)?](path, flags $(, $mode:ident)?) => $next:ident;)*) => {$(
        $(#[$doc])*
        ///
        /// # Safety
        /// As for the C function.
        #[unsafe(no_mangle)]
        pub unsafe extern "C-unwind" fn $name(
            $($dirfd: c_int,)?
            path: *const c_char,
            flags: c_int,
            $($mode: c_uint,)?
        ) -> c_int {
            #[allow(unused_variables)]
            let dirfd = libc::AT_FDCWD;
            $(let dirfd = $dirfd;)?
            #[allow(unused_variables)]
            let mode: c_uint = 0;
            $(let mode = $mode;)?
            // SAFETY: the caller's arguments, passed on.
            let call = || unsafe { next::$next($($dirfd,)? path, flags $(, $mode)?) };
            if !config::active() {
                return call();
            }
            // SAFETY: as above.
            unsafe { covered(dirfd, path, flags, mode, call) }
        }
    )*};
}

open_fn! {
    /// `open(2)`, covered under a covered prefix.
    fn open[](path, flags, mode) => open;
    /// `open64(2)`: `open` on 64-bit Linux.
    fn open64[](path, flags, mode) => open64;
    /// `openat(2)`, covered under a covered prefix or directory.
    fn openat[dirfd](path, flags, mode) => openat;
    /// `openat64(2)`: `openat` on 64-bit Linux.
    fn openat64[dirfd](path, flags, mode) => openat64;
    /// `__open_2`, the fortified `open` without a mode.
    fn __open_2[](path, flags) => open_2;
    /// `__open64_2`, the fortified `open64` without a mode.
    fn __open64_2[](path, flags) => open64_2;
    /// `__openat_2`, the fortified `openat` without a mode.
    fn __openat_2[dirfd](path, flags) => openat_2;
    /// `__openat64_2`, the fortified `openat64` without a mode.
    fn __openat64_2[dirfd](path, flags) => openat64_2;
}

const CREAT: c_int = libc::O_CREAT | libc::O_WRONLY | libc::O_TRUNC;

/// `creat(2)`, covered under a covered prefix.
///
/// # Safety
/// As for `creat(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn creat(path: *const c_char, mode: mode_t) -> c_int {
    // SAFETY: the caller's arguments.
    let call = || unsafe { next::creat(path, mode) };
    if !config::active() {
        return call();
    }
    // SAFETY: as above.
    unsafe { covered(libc::AT_FDCWD, path, CREAT, mode, call) }
}

/// `creat64(2)`: `creat` on 64-bit Linux.
///
/// # Safety
/// As for `creat(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn creat64(path: *const c_char, mode: mode_t) -> c_int {
    // SAFETY: the caller's arguments.
    let call = || unsafe { next::creat64(path, mode) };
    if !config::active() {
        return call();
    }
    // SAFETY: as above.
    unsafe { covered(libc::AT_FDCWD, path, CREAT, mode, call) }
}
