//! The calling thread's `errno`, which the C ABI reports errors through.

use libc::c_int;

/// The calling thread's `errno`.
pub(crate) fn get() -> c_int {
    // SAFETY: __errno_location returns the calling thread's errno slot, valid
    // for the thread's lifetime.
    unsafe { *libc::__errno_location() }
}

/// Sets the calling thread's `errno`.
pub(crate) fn set(value: c_int) {
    // SAFETY: as in `get`; the slot is the calling thread's own.
    unsafe { *libc::__errno_location() = value }
}

/// A C function's result: the value, or -1 with `errno` set.
pub(crate) fn ret<T: From<i8>>(result: Result<T, c_int>) -> T {
    match result {
        Ok(value) => value,
        Err(errno) => {
            set(errno);
            T::from(-1)
        }
    }
}
