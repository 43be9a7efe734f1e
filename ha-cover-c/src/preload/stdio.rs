//! Streams on covered files: `fopen`, `fopen64` and `fdopen` of a covered
//! path or descriptor give a stream whose reads, writes and seeks are the
//! covered calls, with a real `fileno()`.
//!
//! glibc's stdio reads and writes a `FILE` through internal symbols that no
//! interposition reaches, and refuses a `FILE` with a function table of
//! anyone else's. So the stream is a `fopencookie` one (its functions are the
//! covered `read`, `write` and `lseek`), and its descriptor number is written
//! into the `FILE`, where glibc keeps -2 for a cookie stream: `fileno()`
//! returns it, so `fstat(fileno(f))` and `posix_fadvise` work on it. Where that
//! field is was checked at start on a stream glibc made; if it is not where
//! expected, `fileno()` stays -1.
//!
//! At start, `stdin`, `stdout` and `stderr` are replaced with such streams
//! when their descriptors were inherited open on covered files.

use std::sync::OnceLock;

use libc::{c_char, c_int};

use super::{config, next, open, paths, registry};
use crate::api::stdio::{cookie_stream, open_flags};
use crate::{errno, ha_path, recursion, syscall, table};

/// Where glibc keeps a stream's descriptor (`_fileno`) in a `FILE`, checked.
fn fileno_offset() -> Option<usize> {
    static OFFSET: OnceLock<Option<usize>> = OnceLock::new();
    *OFFSET.get_or_init(|| {
        // Four flags words, then thirteen pointers, on every LP64 glibc.
        const OFFSET: usize = 112;
        // SAFETY: NUL-terminated arguments; glibc's own fopen.
        let fp = unsafe { next::fopen(c"/dev/null".as_ptr(), c"r".as_ptr()) };
        if fp.is_null() {
            return None;
        }
        // SAFETY: a stream glibc just made, larger than the offset.
        let found = unsafe { fp.cast::<u8>().add(OFFSET).cast::<c_int>().read() };
        // SAFETY: the same stream.
        let fd = unsafe { libc::fileno(fp) };
        // SAFETY: ours to close.
        unsafe { libc::fclose(fp) };
        (fd >= 0 && found == fd).then_some(OFFSET)
    })
}

/// A covered stream on `fd` (which it then owns), `fileno()` and all.
///
/// # Safety
/// `mode` is a NUL-terminated `fopen` mode.
unsafe fn stream_on(fd: c_int, mode: *const c_char) -> *mut libc::FILE {
    // SAFETY: see the function's contract.
    let fp = unsafe { cookie_stream(fd, mode) };
    if fp.is_null() {
        return fp;
    }
    if let Some(offset) = fileno_offset() {
        // SAFETY: a cookie stream glibc just made; the field was checked to
        // be its descriptor's on glibc's own streams.
        let field = unsafe { fp.cast::<u8>().add(offset).cast::<c_int>() };
        // SAFETY: as above.
        if unsafe { field.read() } == -2 {
            // SAFETY: as above.
            unsafe { field.write(fd) };
        }
    }
    fp
}

/// Opens `path` as a covered stream when it is under a covered prefix;
/// `call` (glibc's) otherwise.
///
/// # Safety
/// `path` and `mode` are NUL-terminated.
unsafe fn open_stream(
    path: *const c_char,
    mode: *const c_char,
    call: impl FnOnce() -> *mut libc::FILE,
) -> *mut libc::FILE {
    if !config::active() || recursion::inside() || mode.is_null() {
        return call();
    }
    // SAFETY: see the function's contract.
    if unsafe { paths::resolve(libc::AT_FDCWD, path) }.is_none() {
        return call();
    }
    // SAFETY: as above.
    let Some(flags) = open_flags(unsafe { std::ffi::CStr::from_ptr(mode) }.to_bytes()) else {
        return call();
    };
    // SAFETY: as above; the covered open.
    let fd = unsafe { open::open(path, flags, 0o666) };
    if fd < 0 {
        return std::ptr::null_mut();
    }
    // SAFETY: `mode` was checked above.
    let fp = unsafe { stream_on(fd, mode) };
    if fp.is_null() {
        let e = errno::get();
        ha_path::forget(fd);
        let _ = syscall::close(fd);
        errno::set(e);
    }
    fp
}

/// `fopen(3)`: a covered stream under a covered prefix.
///
/// # Safety
/// As for `fopen(3)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fopen(path: *const c_char, mode: *const c_char) -> *mut libc::FILE {
    // SAFETY: the caller's arguments, passed on.
    unsafe { open_stream(path, mode, || next::fopen(path, mode)) }
}

/// `fopen64(3)`: `fopen` on 64-bit Linux.
///
/// # Safety
/// As for `fopen(3)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fopen64(path: *const c_char, mode: *const c_char) -> *mut libc::FILE {
    // SAFETY: the caller's arguments, passed on.
    unsafe { open_stream(path, mode, || next::fopen64(path, mode)) }
}

/// `fdopen(3)`: a covered stream on a descriptor the preload mode covers.
///
/// # Safety
/// As for `fdopen(3)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fdopen(fd: c_int, mode: *const c_char) -> *mut libc::FILE {
    if registry::entry_of(fd).is_some() && !mode.is_null() {
        // SAFETY: as above.
        let valid = open_flags(unsafe { std::ffi::CStr::from_ptr(mode) }.to_bytes()).is_some();
        if valid {
            // SAFETY: a valid mode.
            return unsafe { stream_on(fd, mode) };
        }
    }
    // SAFETY: the caller's arguments, passed on.
    unsafe { next::fdopen(fd, mode) }
}

unsafe extern "C" {
    static mut stdin: *mut libc::FILE;
    static mut stdout: *mut libc::FILE;
    static mut stderr: *mut libc::FILE;
}

/// Replaces the standard streams whose descriptors are covered.
pub(crate) fn standard_streams() {
    for fd in 0..3 {
        if !table::is_covered(fd) {
            continue;
        }
        let mode = if fd == 0 { c"r" } else { c"w" };
        // SAFETY: a valid mode.
        let fp = unsafe { stream_on(fd, mode.as_ptr()) };
        if fp.is_null() {
            continue;
        }
        // SAFETY: at load time, before the program's own code runs; the
        // variables are glibc's, which every user of `stdin`... reads.
        unsafe {
            match fd {
                0 => stdin = fp,
                1 => stdout = fp,
                _ => {
                    libc::setvbuf(fp, std::ptr::null_mut(), libc::_IONBF, 0);
                    stderr = fp;
                }
            }
        }
    }
}
