//! Data transfer, positioning and syncing.

use libc::{c_int, c_void, off_t, size_t, ssize_t};

use crate::{glibc, ha_path, table};

/// `read(2)`, covered on HA descriptors.
///
/// # Safety
/// As for `read(2)`: `buf` writable for `count` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn read(fd: c_int, buf: *mut c_void, count: size_t) -> ssize_t {
    if table::is_covered(fd) {
        return ha_path::read(fd, buf, count);
    }
    // SAFETY: the caller's arguments, passed on.
    unsafe { glibc::read(fd, buf, count) }
}

/// `write(2)`, covered on HA descriptors.
///
/// # Safety
/// As for `write(2)`: `buf` readable for `count` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn write(fd: c_int, buf: *const c_void, count: size_t) -> ssize_t {
    if table::is_covered(fd) {
        return ha_path::write(fd, buf, count);
    }
    // SAFETY: the caller's arguments, passed on.
    unsafe { glibc::write(fd, buf, count) }
}

/// `recv(2)`, covered on HA descriptors.
///
/// # Safety
/// As for `recv(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn recv(
    fd: c_int,
    buf: *mut c_void,
    count: size_t,
    flags: c_int,
) -> ssize_t {
    if table::is_covered(fd) {
        return ha_path::recv(fd, buf, count, flags);
    }
    // SAFETY: the caller's arguments, passed on.
    unsafe { glibc::recv(fd, buf, count, flags) }
}

/// `send(2)`, covered on HA descriptors (always with `MSG_NOSIGNAL` there).
///
/// # Safety
/// As for `send(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn send(
    fd: c_int,
    buf: *const c_void,
    count: size_t,
    flags: c_int,
) -> ssize_t {
    if table::is_covered(fd) {
        return ha_path::send(fd, buf, count, flags);
    }
    // SAFETY: the caller's arguments, passed on.
    unsafe { glibc::send(fd, buf, count, flags) }
}

/// `readv(2)`, covered on HA descriptors.
///
/// # Safety
/// As for `readv(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn readv(fd: c_int, iov: *const libc::iovec, count: c_int) -> ssize_t {
    if table::is_covered(fd) {
        return ha_path::readv(fd, iov, count);
    }
    // SAFETY: the caller's arguments, passed on.
    unsafe { glibc::readv(fd, iov, count) }
}

/// `writev(2)`, covered on HA descriptors.
///
/// # Safety
/// As for `writev(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn writev(
    fd: c_int,
    iov: *const libc::iovec,
    count: c_int,
) -> ssize_t {
    if table::is_covered(fd) {
        return ha_path::writev(fd, iov, count);
    }
    // SAFETY: the caller's arguments, passed on.
    unsafe { glibc::writev(fd, iov, count) }
}

/// `pread(2)`, covered on HA descriptors.
///
/// # Safety
/// As for `pread(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn pread(
    fd: c_int,
    buf: *mut c_void,
    count: size_t,
    offset: off_t,
) -> ssize_t {
    if table::is_covered(fd) {
        return ha_path::pread(fd, buf, count, offset);
    }
    // SAFETY: the caller's arguments, passed on.
    unsafe { glibc::pread(fd, buf, count, offset) }
}

/// `pread64(2)`, covered on HA descriptors.
///
/// # Safety
/// As for `pread64(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn pread64(
    fd: c_int,
    buf: *mut c_void,
    count: size_t,
    offset: off_t,
) -> ssize_t {
    if table::is_covered(fd) {
        return ha_path::pread(fd, buf, count, offset);
    }
    // SAFETY: the caller's arguments, passed on.
    unsafe { glibc::pread64(fd, buf, count, offset) }
}

/// `pwrite(2)`, covered on HA descriptors.
///
/// # Safety
/// As for `pwrite(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn pwrite(
    fd: c_int,
    buf: *const c_void,
    count: size_t,
    offset: off_t,
) -> ssize_t {
    if table::is_covered(fd) {
        return ha_path::pwrite(fd, buf, count, offset);
    }
    // SAFETY: the caller's arguments, passed on.
    unsafe { glibc::pwrite(fd, buf, count, offset) }
}

/// `pwrite64(2)`, covered on HA descriptors.
///
/// # Safety
/// As for `pwrite64(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn pwrite64(
    fd: c_int,
    buf: *const c_void,
    count: size_t,
    offset: off_t,
) -> ssize_t {
    if table::is_covered(fd) {
        return ha_path::pwrite(fd, buf, count, offset);
    }
    // SAFETY: the caller's arguments, passed on.
    unsafe { glibc::pwrite64(fd, buf, count, offset) }
}

/// `lseek(2)`, covered on HA descriptors.
///
/// # Safety
/// As for `lseek(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn lseek(fd: c_int, offset: off_t, whence: c_int) -> off_t {
    if table::is_covered(fd) {
        return ha_path::lseek(fd, offset, whence);
    }
    // SAFETY: the caller's arguments, passed on.
    unsafe { glibc::lseek(fd, offset, whence) }
}

/// `lseek64(2)`, covered on HA descriptors.
///
/// # Safety
/// As for `lseek64(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn lseek64(fd: c_int, offset: off_t, whence: c_int) -> off_t {
    if table::is_covered(fd) {
        return ha_path::lseek(fd, offset, whence);
    }
    // SAFETY: the caller's arguments, passed on.
    unsafe { glibc::lseek64(fd, offset, whence) }
}

/// `fsync(2)`, covered on HA descriptors.
///
/// # Safety
/// As for `fsync(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn fsync(fd: c_int) -> c_int {
    if table::is_covered(fd) {
        return ha_path::sync(fd, false);
    }
    // SAFETY: the caller's argument, passed on.
    unsafe { glibc::fsync(fd) }
}

/// `fdatasync(2)`, covered on HA descriptors.
///
/// # Safety
/// As for `fdatasync(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn fdatasync(fd: c_int) -> c_int {
    if table::is_covered(fd) {
        return ha_path::sync(fd, true);
    }
    // SAFETY: the caller's argument, passed on.
    unsafe { glibc::fdatasync(fd) }
}

/// `__read_chk`, what `read` becomes under `_FORTIFY_SOURCE` when the compiler
/// knows the buffer's size: covered on HA descriptors once the size is checked.
///
/// # Safety
/// As for `read(2)`, with `size` the size of `buf`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn __read_chk(
    fd: c_int,
    buf: *mut c_void,
    count: size_t,
    size: size_t,
) -> ssize_t {
    if count <= size && table::is_covered(fd) {
        return ha_path::read(fd, buf, count);
    }
    // SAFETY: the caller's arguments, passed on; glibc reports an overflow.
    unsafe { glibc::read_chk(fd, buf, count, size) }
}

/// `__recv_chk`, what `recv` becomes under `_FORTIFY_SOURCE` when the compiler
/// knows the buffer's size but not the length: covered on HA descriptors once
/// the size is checked.
///
/// # Safety
/// As for `recv(2)`, with `size` the size of `buf`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn __recv_chk(
    fd: c_int,
    buf: *mut c_void,
    count: size_t,
    size: size_t,
    flags: c_int,
) -> ssize_t {
    if count <= size && table::is_covered(fd) {
        return ha_path::recv(fd, buf, count, flags);
    }
    // SAFETY: the caller's arguments, passed on; glibc reports an overflow.
    unsafe { glibc::recv_chk(fd, buf, count, size, flags) }
}

/// `__pread_chk`, the fortified `pread`.
///
/// # Safety
/// As for `pread(2)`, with `size` the size of `buf`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn __pread_chk(
    fd: c_int,
    buf: *mut c_void,
    count: size_t,
    offset: off_t,
    size: size_t,
) -> ssize_t {
    if count <= size && table::is_covered(fd) {
        return ha_path::pread(fd, buf, count, offset);
    }
    // SAFETY: the caller's arguments, passed on; glibc reports an overflow.
    unsafe { glibc::pread_chk(fd, buf, count, offset, size) }
}

/// `__pread64_chk`, the fortified `pread64`.
///
/// # Safety
/// As for `pread64(2)`, with `size` the size of `buf`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn __pread64_chk(
    fd: c_int,
    buf: *mut c_void,
    count: size_t,
    offset: off_t,
    size: size_t,
) -> ssize_t {
    if count <= size && table::is_covered(fd) {
        return ha_path::pread(fd, buf, count, offset);
    }
    // SAFETY: the caller's arguments, passed on; glibc reports an overflow.
    unsafe { glibc::pread64_chk(fd, buf, count, offset, size) }
}
