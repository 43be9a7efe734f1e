//! Directory streams: `opendir` of a covered path opens its descriptor
//! through the covered `open` (glibc's own `opendir` opens with an internal
//! call no interposition reaches), `readdir` on a covered directory recovers
//! its descriptor and reads on from where the dead one was, and `closedir`
//! detaches it (glibc closes it internally).

use libc::{c_char, c_int};

use super::fd_calls::Call;
use super::{config, next, open, paths};
use crate::cover_loop::perform;
use crate::{errno, ha_path, recursion, table};

/// `opendir(3)`: covered under a covered prefix.
///
/// # Safety
/// As for `opendir(3)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendir(path: *const c_char) -> *mut libc::DIR {
    if !config::active() {
        // SAFETY: the caller's argument, passed on.
        return unsafe { next::opendir(path) };
    }
    // SAFETY: the caller's path.
    if recursion::inside() || unsafe { paths::resolve(libc::AT_FDCWD, path) }.is_none() {
        // SAFETY: the caller's argument, passed on.
        return unsafe { next::opendir(path) };
    }
    let flags = libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC;
    // SAFETY: the caller's path.
    let fd = unsafe { open::open(path, flags, 0) };
    if fd < 0 {
        return std::ptr::null_mut();
    }
    // SAFETY: a directory descriptor this call owns; covered.
    let dir = unsafe { fdopendir(fd) };
    if dir.is_null() {
        let e = errno::get();
        ha_path::forget(fd);
        let _ = crate::syscall::close(fd);
        errno::set(e);
    }
    dir
}

/// `fdopendir(3)`, covered on an HA descriptor: glibc's checks the
/// descriptor with an internal `fstat`, which a dead connection fails.
///
/// # Safety
/// As for `fdopendir(3)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fdopendir(fd: c_int) -> *mut libc::DIR {
    if !table::is_covered(fd) {
        // SAFETY: the caller's argument, passed on.
        return unsafe { next::fdopendir(fd) };
    }
    let result = perform(
        fd,
        Call(|fd| {
            // SAFETY: the caller's argument, passed on.
            let dir = unsafe { next::fdopendir(fd) };
            if dir.is_null() {
                Err(errno::get())
            } else {
                Ok(dir as i64)
            }
        }),
    );
    match result {
        Ok(dir) => dir as *mut libc::DIR,
        Err(e) => {
            errno::set(e);
            std::ptr::null_mut()
        }
    }
}

/// Reads an entry with `call` (glibc's `readdir` or `readdir64`), covered
/// when the stream's descriptor is HA-aware. End of directory (null, `errno`
/// unchanged) is not a failure.
fn covered_readdir<T>(dir: *mut libc::DIR, mut call: impl FnMut() -> *mut T) -> *mut T {
    // SAFETY: the caller's stream.
    let fd = unsafe { libc::dirfd(dir) };
    if !table::is_covered(fd) {
        return call();
    }
    let saved = errno::get();
    let result = perform(
        fd,
        Call(|_| {
            errno::set(0);
            let entry = call();
            match (entry.is_null(), errno::get()) {
                (true, 0) => Ok(0),
                (true, e) => Err(e),
                (false, _) => Ok(entry as i64),
            }
        }),
    );
    match result {
        Ok(0) => {
            errno::set(saved);
            std::ptr::null_mut()
        }
        Ok(entry) => entry as *mut T,
        Err(e) => {
            errno::set(e);
            std::ptr::null_mut()
        }
    }
}

/// `readdir(3)`, covered on HA directory descriptors.
///
/// # Safety
/// As for `readdir(3)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn readdir(dir: *mut libc::DIR) -> *mut libc::dirent {
    // SAFETY: the caller's stream, passed on.
    covered_readdir(dir, || unsafe { next::readdir(dir) })
}

/// `readdir64(3)`, covered on HA directory descriptors.
///
/// # Safety
/// As for `readdir64(3)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn readdir64(dir: *mut libc::DIR) -> *mut libc::dirent64 {
    // SAFETY: the caller's stream, passed on.
    covered_readdir(dir, || unsafe { next::readdir64(dir) })
}

/// `closedir(3)`: detaches an HA directory descriptor first.
///
/// # Safety
/// As for `closedir(3)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn closedir(dir: *mut libc::DIR) -> c_int {
    let mut covered = false;
    if !dir.is_null() {
        // SAFETY: the caller's stream.
        let fd = unsafe { libc::dirfd(dir) };
        if table::is_covered(fd) {
            ha_path::forget(fd);
            covered = true;
        }
    }
    // SAFETY: the caller's argument, passed on.
    let ret = unsafe { next::closedir(dir) };
    // A directory is read, never written: the error its close gets from a
    // dead connection is no news (see `close`).
    if ret < 0
        && covered
        && matches!(
            errno::get(),
            libc::ENOTCONN | libc::ECONNABORTED | libc::ESTALE
        )
    {
        return 0;
    }
    ret
}
