//! The functions of QNX's `<ha/*.h>` headers, and their Linux extensions.

mod cover;
mod fcntl;
mod socket;
pub(crate) mod stdio;
mod unistd;

use std::ffi::{CStr, OsStr};
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use libc::{c_char, c_int, c_void};

use crate::group::{Handle, RecoveryFn};
use crate::types::RFp;

/// The recovery function to attach: a null `rfn` never recovers (every
/// failure comes back as it was), which `HAREPLACERECOVERYFN` can change later.
fn recovery(rfn: RFp, rhdl: *mut c_void) -> RecoveryFn {
    unsafe extern "C" fn never(_: c_int, _: *mut c_void) -> c_int {
        -1
    }
    RecoveryFn {
        func: rfn.unwrap_or(never),
        handle: Handle(rhdl),
    }
}

/// A C path as a `PathBuf`; `None` for a null pointer.
///
/// # Safety
/// `path` is null or NUL-terminated.
unsafe fn path_of(path: *const c_char) -> Option<PathBuf> {
    if path.is_null() {
        return None;
    }
    // SAFETY: see the function's contract.
    let bytes = unsafe { CStr::from_ptr(path) }.to_bytes();
    Some(PathBuf::from(OsStr::from_bytes(bytes)))
}
