//! Calls that end a descriptor number's life: an HA descriptor closed or
//! replaced with plain `close`, `dup2` or `dup3` stops being HA-aware, so the
//! number, when the kernel hands it out again, is an ordinary descriptor. A
//! `dup2` or `dup3` of a descriptor the preload mode covers is covered too.

use libc::c_int;

use crate::{glibc, ha_path, table};

/// `close(2)`: detaches an HA descriptor first.
///
/// # Safety
/// As for `close(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn close(fd: c_int) -> c_int {
    if table::is_covered(fd) {
        return ha_path::close(fd);
    }
    // SAFETY: the caller's argument, passed on.
    unsafe { glibc::close(fd) }
}

/// `dup2(2)`: a `new` that was HA-aware is an ordinary descriptor afterwards.
///
/// # Safety
/// As for `dup2(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn dup2(old: c_int, new: c_int) -> c_int {
    if table::is_covered(old) {
        // SAFETY: the caller's arguments, passed on.
        return crate::preload::dup_with(old, Some(new), || unsafe { glibc::dup2(old, new) });
    }
    // SAFETY: the caller's arguments, passed on.
    let ret = unsafe { glibc::dup2(old, new) };
    if ret >= 0 && old != new && table::is_covered(new) {
        ha_path::forget(new);
    }
    ret
}

/// `dup3(2)`: as `dup2`.
///
/// # Safety
/// As for `dup3(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn dup3(old: c_int, new: c_int, flags: c_int) -> c_int {
    if table::is_covered(old) {
        // SAFETY: the caller's arguments, passed on.
        return crate::preload::dup_with(old, Some(new), || unsafe {
            glibc::dup3(old, new, flags)
        });
    }
    // SAFETY: the caller's arguments, passed on.
    let ret = unsafe { glibc::dup3(old, new, flags) };
    if ret >= 0 && table::is_covered(new) {
        ha_path::forget(new);
    }
    ret
}
