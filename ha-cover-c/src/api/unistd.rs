//! `<ha/unistd.h>`: duplicating and closing HA descriptors.

use libc::c_int;

use crate::{attach, errno, syscall};

/// A new descriptor on the same open file and in the same group as `fd`: one
/// recovery function, handle, counters and recovery serve both. `EBADF` if
/// `fd` is not HA-aware.
#[unsafe(no_mangle)]
pub extern "C" fn ha_dup(fd: c_int) -> c_int {
    errno::ret(attach::dup(fd))
}

/// Detaches `fd`, then closes it. `EBADF` if it is not HA-aware.
#[unsafe(no_mangle)]
pub extern "C" fn ha_close(fd: c_int) -> c_int {
    errno::ret(
        attach::detach(fd)
            .and_then(|()| syscall::close(fd))
            .map(|_| 0),
    )
}
