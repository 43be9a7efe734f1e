//! Lines on stderr: one per recovery with `HA_COVER_LOG=1`, and always the
//! ones that say a descriptor could not be recovered safely.

use std::ffi::CStr;

use libc::{c_char, c_int};

unsafe extern "C" {
    /// glibc's name of an error number (2.32 and later).
    fn strerrorname_np(errnum: c_int) -> *const c_char;
}

/// `ENOTCONN` for `ENOTCONN`.
pub(crate) fn errno_name(errno: c_int) -> String {
    // SAFETY: takes any int; returns null or a static string.
    let name = unsafe { strerrorname_np(errno) };
    if name.is_null() {
        return format!("errno {errno}");
    }
    // SAFETY: a static NUL-terminated string.
    unsafe { CStr::from_ptr(name) }
        .to_string_lossy()
        .into_owned()
}

/// Writes `text` and a newline to stderr in one system call, so that lines of
/// several threads or processes do not mix.
pub(crate) fn line(text: &str) {
    let mut bytes = Vec::with_capacity(text.len() + 1);
    bytes.extend_from_slice(text.as_bytes());
    bytes.push(b'\n');
    let _ = crate::raw::write(2, bytes.as_ptr().cast(), bytes.len());
}

/// A line only when `HA_COVER_LOG` asks for them.
pub(crate) fn recovery(text: impl FnOnce() -> String) {
    if super::config::get().log {
        line(&text());
    }
}
