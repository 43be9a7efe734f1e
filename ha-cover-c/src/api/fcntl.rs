//! `<ha/fcntl.h>`: opening files HA-aware, and reopening one in a recovery.
//!
//! QNX declares `ha_open`, `ha_open64` and `ha_reopen` variadic, for the
//! `open` mode that follows `O_CREAT`. Stable Rust cannot define a variadic
//! function, so these take the mode as one more `mode_t` parameter: on the
//! 64-bit Linux ABIs listed below, a variadic integer argument arrives exactly
//! where that parameter is read (the next integer register), and, as `open`
//! itself does, it is only used when the flags ask for a mode.

use libc::{c_char, c_int, c_uint, c_void, mode_t};

use super::{path_of, recovery};
use crate::types::RFp;
use crate::{attach, errno, repoint, syscall, table};

#[cfg(not(any(
    target_arch = "x86_64",
    target_arch = "aarch64",
    target_arch = "riscv64"
)))]
compile_error!(
    "ha_open/ha_reopen read their variadic mode as a fixed parameter, checked only on x86_64, aarch64 and riscv64 Linux"
);

/// Opens `path` and makes the descriptor HA-aware, as `open` then `ha_attach`.
///
/// # Safety
/// `path` is NUL-terminated; as for `ha_attach` about `rfn`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ha_open(
    path: *const c_char,
    oflag: c_int,
    rfn: RFp,
    rhdl: *mut c_void,
    haflags: c_uint,
    mode: mode_t,
) -> c_int {
    // SAFETY: the caller's arguments.
    unsafe { open_attached(path, oflag, mode, rfn, rhdl, haflags) }
}

/// `ha_open` with large-file support: the same on 64-bit Linux.
///
/// # Safety
/// As for [`ha_open`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ha_open64(
    path: *const c_char,
    oflag: c_int,
    rfn: RFp,
    rhdl: *mut c_void,
    haflags: c_uint,
    mode: mode_t,
) -> c_int {
    // SAFETY: the caller's arguments.
    unsafe { open_attached(path, oflag | libc::O_LARGEFILE, mode, rfn, rhdl, haflags) }
}

/// Creates `path` as `creat` does and makes the descriptor HA-aware.
///
/// # Safety
/// As for [`ha_open`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ha_creat(
    path: *const c_char,
    mode: mode_t,
    rfn: RFp,
    rhdl: *mut c_void,
    haflags: c_uint,
) -> c_int {
    let oflag = libc::O_CREAT | libc::O_WRONLY | libc::O_TRUNC;
    // SAFETY: the caller's arguments.
    unsafe { open_attached(path, oflag, mode, rfn, rhdl, haflags) }
}

/// `ha_creat` with large-file support: the same on 64-bit Linux.
///
/// # Safety
/// As for [`ha_open`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ha_creat64(
    path: *const c_char,
    mode: mode_t,
    rfn: RFp,
    rhdl: *mut c_void,
    haflags: c_uint,
) -> c_int {
    let oflag = libc::O_CREAT | libc::O_WRONLY | libc::O_TRUNC | libc::O_LARGEFILE;
    // SAFETY: the caller's arguments.
    unsafe { open_attached(path, oflag, mode, rfn, rhdl, haflags) }
}

/// For a recovery function: opens `path` again and puts the new file under
/// `oldfd`'s number and every `ha_dup` of it, closing the dead one. Returns
/// `oldfd`. The flags never create or truncate: `O_CREAT`, `O_EXCL` and
/// `O_TRUNC` are dropped (a recovery must not create a file the server lost or
/// empty one it kept). The new file is at offset 0: `lseek` it back.
///
/// # Safety
/// `path` is NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ha_reopen(
    oldfd: c_int,
    path: *const c_char,
    oflag: c_int,
    mode: mode_t,
) -> c_int {
    if path.is_null() {
        return errno::ret(Err(libc::EFAULT));
    }
    let flags = ha_cover_rt::frontend::safe_reopen_flags(oflag);
    // SAFETY: `path` is NUL-terminated (the caller's contract); glibc's own
    // `open`, not the preload mode's.
    let fresh = unsafe { crate::preload::next::open(path, flags, c_uint::from(mode)) };
    if fresh < 0 {
        return -1;
    }
    let result = repoint::repoint(oldfd, fresh).map(|()| oldfd);
    let _ = syscall::close(fresh);
    errno::ret(result)
}

/// # Safety
/// As for [`ha_open`].
unsafe fn open_attached(
    path: *const c_char,
    oflag: c_int,
    mode: mode_t,
    rfn: RFp,
    rhdl: *mut c_void,
    haflags: c_uint,
) -> c_int {
    // SAFETY: `path` is null or NUL-terminated (the caller's contract).
    let Some(owned) = (unsafe { path_of(path) }) else {
        return errno::ret(Err(libc::EFAULT));
    };
    // SAFETY: as above; glibc's own `open`, not the preload mode's.
    let fd = unsafe { crate::preload::next::open(path, oflag, c_uint::from(mode)) };
    if fd < 0 {
        return -1;
    }
    errno::ret(adopt_new(fd, rfn, rhdl, haflags, Some(owned)))
}

/// Makes a descriptor the kernel just created HA-aware, or closes it.
pub(super) fn adopt_new(
    fd: c_int,
    rfn: RFp,
    rhdl: *mut c_void,
    haflags: c_uint,
    path: Option<std::path::PathBuf>,
) -> Result<c_int, c_int> {
    // The number is new: whatever the table says about it describes a
    // descriptor closed behind the library's back.
    drop(table::remove(fd));
    match attach::attach(fd, recovery(rfn, rhdl), haflags, path) {
        Ok(()) => Ok(fd),
        Err(errno) => {
            let _ = syscall::close(fd);
            Err(errno)
        }
    }
}
