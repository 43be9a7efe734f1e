//! The system calls the library makes on HA descriptors, issued directly.
//!
//! Going through libc's `read`, `write`, `lseek`... would come back into this
//! library's own definitions of those symbols (they interpose libc's for the
//! whole process), so everything done on an HA descriptor is a raw system call.
//! Each returns the kernel's result or the `errno` it set.

use libc::{c_int, c_long, c_void};

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
compile_error!("ha-cover-c issues raw system calls with 64-bit offsets: 64-bit Linux only");

fn check(ret: c_long) -> Result<i64, c_int> {
    if ret < 0 {
        Err(crate::errno::get())
    } else {
        Ok(ret)
    }
}

/// Arguments are widened to `long` here, not left to the variadic call: an
/// `int` passed through `...` may leave the upper half of its register unset.
fn syscall3(number: c_long, a: c_long, b: c_long, c: c_long) -> Result<i64, c_int> {
    // SAFETY: every caller passes the arguments its system call expects; the
    // kernel validates descriptors and user pointers itself.
    check(unsafe { libc::syscall(number, a, b, c) })
}

fn syscall4(number: c_long, a: c_long, b: c_long, c: c_long, d: c_long) -> Result<i64, c_int> {
    // SAFETY: as in `syscall3`.
    check(unsafe { libc::syscall(number, a, b, c, d) })
}

fn syscall6(number: c_long, args: [c_long; 6]) -> Result<i64, c_int> {
    // SAFETY: as in `syscall3`.
    check(unsafe { libc::syscall(number, args[0], args[1], args[2], args[3], args[4], args[5]) })
}

/// `read(2)` into `len` bytes at `buf`, which the caller guarantees writable.
pub(crate) fn read(fd: c_int, buf: *mut c_void, len: usize) -> Result<i64, c_int> {
    syscall3(libc::SYS_read, fd.into(), buf as c_long, len as c_long)
}

/// `write(2)` of `len` bytes at `buf`.
pub(crate) fn write(fd: c_int, buf: *const c_void, len: usize) -> Result<i64, c_int> {
    syscall3(libc::SYS_write, fd.into(), buf as c_long, len as c_long)
}

/// `sendto(2)` on a connected socket, always with `MSG_NOSIGNAL`: a dead peer
/// must give `EPIPE`, not a `SIGPIPE` that kills the process before recovery.
pub(crate) fn send(fd: c_int, buf: *const c_void, len: usize, flags: c_int) -> Result<i64, c_int> {
    syscall6(
        libc::SYS_sendto,
        [
            fd.into(),
            buf as c_long,
            len as c_long,
            (flags | libc::MSG_NOSIGNAL).into(),
            0,
            0,
        ],
    )
}

/// `recvfrom(2)` on a connected socket.
pub(crate) fn recv(fd: c_int, buf: *mut c_void, len: usize, flags: c_int) -> Result<i64, c_int> {
    syscall6(
        libc::SYS_recvfrom,
        [fd.into(), buf as c_long, len as c_long, flags.into(), 0, 0],
    )
}

/// `readv(2)`.
pub(crate) fn readv(fd: c_int, iov: *const libc::iovec, count: c_int) -> Result<i64, c_int> {
    syscall3(libc::SYS_readv, fd.into(), iov as c_long, count.into())
}

/// `writev(2)`.
pub(crate) fn writev(fd: c_int, iov: *const libc::iovec, count: c_int) -> Result<i64, c_int> {
    syscall3(libc::SYS_writev, fd.into(), iov as c_long, count.into())
}

/// `sendmsg(2)` of an iovec array with `MSG_NOSIGNAL`: `writev` on a socket.
pub(crate) fn sendv(fd: c_int, iov: *const libc::iovec, count: c_int) -> Result<i64, c_int> {
    // SAFETY: an all-zero msghdr is a valid "no name, no control data" header.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = iov.cast_mut();
    msg.msg_iovlen = usize::try_from(count).unwrap_or(0);
    syscall3(
        libc::SYS_sendmsg,
        fd.into(),
        (&raw const msg) as c_long,
        libc::MSG_NOSIGNAL.into(),
    )
}

/// `pread64(2)`.
pub(crate) fn pread(fd: c_int, buf: *mut c_void, len: usize, offset: i64) -> Result<i64, c_int> {
    syscall4(
        libc::SYS_pread64,
        fd.into(),
        buf as c_long,
        len as c_long,
        offset,
    )
}

/// `pwrite64(2)`.
pub(crate) fn pwrite(fd: c_int, buf: *const c_void, len: usize, offset: i64) -> Result<i64, c_int> {
    syscall4(
        libc::SYS_pwrite64,
        fd.into(),
        buf as c_long,
        len as c_long,
        offset,
    )
}

/// `lseek(2)`.
pub(crate) fn lseek(fd: c_int, offset: i64, whence: c_int) -> Result<i64, c_int> {
    syscall3(libc::SYS_lseek, fd.into(), offset, whence.into())
}

/// `fsync(2)`, or `fdatasync(2)` when `data_only`.
pub(crate) fn sync(fd: c_int, data_only: bool) -> Result<i64, c_int> {
    let number = if data_only {
        libc::SYS_fdatasync
    } else {
        libc::SYS_fsync
    };
    syscall3(number, fd.into(), 0, 0)
}

/// `fstat(2)`.
pub(crate) fn fstat(fd: c_int) -> Result<libc::stat, c_int> {
    // SAFETY: an all-zero stat is valid storage for the kernel to fill.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    syscall3(libc::SYS_fstat, fd.into(), (&raw mut st) as c_long, 0).map(|_| st)
}

/// `openat(2)`.
pub(crate) fn openat(
    dirfd: c_int,
    path: &std::ffi::CStr,
    flags: c_int,
    mode: libc::mode_t,
) -> Result<c_int, c_int> {
    syscall4(
        libc::SYS_openat,
        dirfd.into(),
        path.as_ptr() as c_long,
        flags.into(),
        mode.into(),
    )
    .map(|fd| fd as c_int)
}

/// `statfs(2)`.
pub(crate) fn statfs(path: &std::ffi::CStr) -> Result<libc::statfs, c_int> {
    // SAFETY: an all-zero statfs is valid storage for the kernel to fill.
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    syscall3(
        libc::SYS_statfs,
        path.as_ptr() as c_long,
        (&raw mut st) as c_long,
        0,
    )
    .map(|_| st)
}

/// `fcntl(2)` with a `struct flock` (`F_SETLK`, `F_OFD_SETLK`...).
pub(crate) fn fcntl_lock(fd: c_int, command: c_int, lock: &libc::flock) -> Result<i64, c_int> {
    syscall3(
        libc::SYS_fcntl,
        fd.into(),
        command.into(),
        std::ptr::from_ref(lock) as c_long,
    )
}

/// `fcntl(F_GETFL)`.
pub(crate) fn status_flags(fd: c_int) -> Result<c_int, c_int> {
    syscall3(libc::SYS_fcntl, fd.into(), libc::F_GETFL.into(), 0).map(|f| f as c_int)
}

/// `dup3(2)`: `target` now refers to `source`'s open file.
pub(crate) fn dup3(source: c_int, target: c_int, flags: c_int) -> Result<i64, c_int> {
    syscall3(libc::SYS_dup3, source.into(), target.into(), flags.into())
}

/// `fcntl(F_DUPFD)` / `fcntl(F_DUPFD_CLOEXEC)`: the lowest free descriptor.
pub(crate) fn dup(fd: c_int, cloexec: bool) -> Result<c_int, c_int> {
    let command = if cloexec {
        libc::F_DUPFD_CLOEXEC
    } else {
        libc::F_DUPFD
    };
    syscall3(libc::SYS_fcntl, fd.into(), command.into(), 0).map(|fd| fd as c_int)
}

/// Whether `fd` is close-on-exec (`fcntl(F_GETFD)`).
pub(crate) fn is_cloexec(fd: c_int) -> Result<bool, c_int> {
    syscall3(libc::SYS_fcntl, fd.into(), libc::F_GETFD.into(), 0)
        .map(|flags| flags & c_long::from(libc::FD_CLOEXEC) != 0)
}

/// `close(2)`.
pub(crate) fn close(fd: c_int) -> Result<i64, c_int> {
    syscall3(libc::SYS_close, fd.into(), 0, 0)
}

/// `sendto(2)` with the caller's flags only, for a plain `send` with no next
/// definition to call.
pub(crate) fn send_plain(
    fd: c_int,
    buf: *const c_void,
    len: usize,
    flags: c_int,
) -> Result<i64, c_int> {
    syscall6(
        libc::SYS_sendto,
        [fd.into(), buf as c_long, len as c_long, flags.into(), 0, 0],
    )
}

/// `dup2(2)`, which x86-64 has as a system call of its own but every Linux
/// has as `dup3` when the descriptors differ.
pub(crate) fn dup2(source: c_int, target: c_int) -> Result<i64, c_int> {
    if source == target {
        return syscall3(libc::SYS_fcntl, source.into(), libc::F_GETFD.into(), 0)
            .map(|_| source.into());
    }
    dup3(source, target, 0)
}

/// Asks the file's server something (`fstatfs(2)`, which always reaches a
/// FUSE daemon): `Ok` when it answers.
pub(crate) fn fstatfs(fd: c_int) -> Result<(), c_int> {
    fstatfs_of(fd).map(drop)
}

/// `fstatfs(2)`: what the file system of `fd` says of itself.
pub(crate) fn fstatfs_of(fd: c_int) -> Result<libc::statfs, c_int> {
    // SAFETY: an all-zero statfs is a valid buffer for the kernel to fill.
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    syscall3(libc::SYS_fstatfs, fd.into(), (&raw mut st) as c_long, 0).map(|_| st)
}

/// `fchdir(2)`.
pub(crate) fn fchdir(fd: c_int) -> Result<i64, c_int> {
    syscall3(libc::SYS_fchdir, fd.into(), 0, 0)
}
