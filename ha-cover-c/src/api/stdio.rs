//! `<ha/stdio.h>`: a `FILE *` whose stdio operations are covered.
//!
//! glibc's stdio calls its own internal `read` and `write`, which no symbol
//! interposition reaches, so `fdopen` on an HA descriptor would not be covered.
//! The stream is made with `fopencookie` instead: its reads, writes and seeks
//! come to the covered calls of this library. `fileno` on it is -1, as on every
//! cookie stream.

use std::ffi::CStr;

use libc::{c_char, c_int, c_uint, c_void, off64_t, size_t, ssize_t};

use super::fcntl::adopt_new;
use super::path_of;
use crate::types::RFp;
use crate::{errno, ha_path, syscall};

type CookieRead = unsafe extern "C" fn(*mut c_void, *mut c_char, size_t) -> ssize_t;
type CookieWrite = unsafe extern "C" fn(*mut c_void, *const c_char, size_t) -> ssize_t;
type CookieSeek = unsafe extern "C" fn(*mut c_void, *mut off64_t, c_int) -> c_int;
type CookieClose = unsafe extern "C" fn(*mut c_void) -> c_int;

/// glibc's `cookie_io_functions_t`.
#[repr(C)]
struct CookieIoFunctions {
    read: Option<CookieRead>,
    write: Option<CookieWrite>,
    seek: Option<CookieSeek>,
    close: Option<CookieClose>,
}

unsafe extern "C" {
    fn fopencookie(
        cookie: *mut c_void,
        mode: *const c_char,
        io: CookieIoFunctions,
    ) -> *mut libc::FILE;
}

/// The cookie is the descriptor number itself.
fn fd_of(cookie: *mut c_void) -> c_int {
    cookie as usize as c_int
}

unsafe extern "C" fn cookie_read(cookie: *mut c_void, buf: *mut c_char, size: size_t) -> ssize_t {
    ha_path::read(fd_of(cookie), buf.cast(), size)
}

unsafe extern "C" fn cookie_write(
    cookie: *mut c_void,
    buf: *const c_char,
    size: size_t,
) -> ssize_t {
    // glibc takes a count short of `size` as the stream's error (it sets the
    // error flag and drops the rest), where a stream on a descriptor goes on
    // writing after a short write(2): so go on here. On an error, what was
    // written is the count (0 for none: glibc wants no negative count).
    let fd = fd_of(cookie);
    let mut done = 0;
    while done < size {
        let rest = buf.wrapping_add(done);
        let n = ha_path::write(fd, rest.cast(), size - done);
        if n <= 0 {
            break;
        }
        done += n as size_t;
    }
    done as ssize_t
}

unsafe extern "C" fn cookie_seek(
    cookie: *mut c_void,
    offset: *mut off64_t,
    whence: c_int,
) -> c_int {
    // SAFETY: glibc passes a valid offset to read and update.
    let position = ha_path::lseek(fd_of(cookie), unsafe { *offset }, whence);
    if position < 0 {
        return -1;
    }
    // SAFETY: as above.
    unsafe { *offset = position };
    0
}

/// As `close` on the descriptor: a stream open only for reading whose
/// server died closes without the dead connection's error.
unsafe extern "C" fn cookie_close(cookie: *mut c_void) -> c_int {
    ha_path::close(fd_of(cookie))
}

/// A stream whose reads, writes and seeks are the covered calls on `fd`,
/// and whose close detaches and closes it; null with `errno` on failure (`fd`
/// is left as it was).
///
/// # Safety
/// `mode` is a valid `fopen` mode.
pub(crate) unsafe fn cookie_stream(fd: c_int, mode: *const c_char) -> *mut libc::FILE {
    let io = CookieIoFunctions {
        read: Some(cookie_read),
        write: Some(cookie_write),
        seek: Some(cookie_seek),
        close: Some(cookie_close),
    };
    // SAFETY: see the function's contract; the cookie is a plain integer.
    unsafe { fopencookie(fd as usize as *mut c_void, mode, io) }
}

/// `fopen`'s `mode` as `open` flags; `None` when it is not a valid mode.
pub(crate) fn open_flags(mode: &[u8]) -> Option<c_int> {
    let (&first, rest) = mode.split_first()?;
    let plus = rest.contains(&b'+');
    let mut flags = match (first, plus) {
        (b'r', false) => libc::O_RDONLY,
        (b'r', true) => libc::O_RDWR,
        (b'w', false) => libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC,
        (b'w', true) => libc::O_RDWR | libc::O_CREAT | libc::O_TRUNC,
        (b'a', false) => libc::O_WRONLY | libc::O_CREAT | libc::O_APPEND,
        (b'a', true) => libc::O_RDWR | libc::O_CREAT | libc::O_APPEND,
        _ => return None,
    };
    for &c in rest {
        match c {
            b'e' => flags |= libc::O_CLOEXEC,
            b'x' => flags |= libc::O_EXCL,
            // glibc's own: binary, memory-mapped, no cancellation points, and
            // ",ccs=" encodings, which stop the scan.
            b'+' | b'b' | b'm' | b'c' | b't' => {}
            b',' => break,
            _ => return None,
        }
    }
    Some(flags)
}

/// Opens `path` as `fopen` does, HA-aware, as a stream whose reads, writes
/// and seeks are covered. `EINVAL` for an invalid `mode`.
///
/// # Safety
/// `path` and `mode` are NUL-terminated; as for `ha_attach` about `rfn`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ha_fopen(
    path: *const c_char,
    mode: *const c_char,
    rfn: RFp,
    rhdl: *mut c_void,
    haflags: c_uint,
) -> *mut libc::FILE {
    if mode.is_null() {
        errno::set(libc::EINVAL);
        return std::ptr::null_mut();
    }
    // SAFETY: `mode` is NUL-terminated (the caller's contract).
    let Some(flags) = open_flags(unsafe { CStr::from_ptr(mode) }.to_bytes()) else {
        errno::set(libc::EINVAL);
        return std::ptr::null_mut();
    };
    // SAFETY: `path` is null or NUL-terminated (the caller's contract).
    let Some(owned) = (unsafe { path_of(path) }) else {
        errno::set(libc::EFAULT);
        return std::ptr::null_mut();
    };
    // SAFETY: as above; glibc's own `open`, not the preload mode's.
    let fd = unsafe { crate::preload::next::open(path, flags, 0o666) };
    if fd < 0 {
        return std::ptr::null_mut();
    }
    if let Err(e) = adopt_new(fd, rfn, rhdl, haflags, Some(owned)) {
        errno::set(e);
        return std::ptr::null_mut();
    }
    // SAFETY: `mode` was checked above.
    let stream = unsafe { cookie_stream(fd, mode) };
    if stream.is_null() {
        let e = errno::get();
        ha_path::forget(fd);
        let _ = syscall::close(fd);
        errno::set(e);
    }
    stream
}

/// Closes a stream from `ha_fopen`: flushes it, detaches and closes its
/// descriptor (plain `fclose` does the same).
///
/// # Safety
/// As for `fclose`: `stream` is open and not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ha_fclose(stream: *mut libc::FILE) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { libc::fclose(stream) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fopen_modes_become_open_flags() {
        assert_eq!(open_flags(b"r"), Some(libc::O_RDONLY));
        assert_eq!(open_flags(b"rb+"), Some(libc::O_RDWR));
        assert_eq!(
            open_flags(b"w"),
            Some(libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC)
        );
        assert_eq!(
            open_flags(b"a+e"),
            Some(libc::O_RDWR | libc::O_CREAT | libc::O_APPEND | libc::O_CLOEXEC)
        );
        assert_eq!(
            open_flags(b"wx"),
            Some(libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_EXCL)
        );
        assert_eq!(open_flags(b"r,ccs=UTF-8"), Some(libc::O_RDONLY));
        assert_eq!(open_flags(b""), None);
        assert_eq!(open_flags(b"q"), None);
        assert_eq!(open_flags(b"rz"), None);
    }
}
