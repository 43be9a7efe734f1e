//! The covered path of each interposed call, for descriptors the table says
//! are HA-aware.
//!
//! `extern "C"` on purpose: a panic here (a bug) aborts the process instead
//! of unwinding into C code. Never inlined, so that the interposed functions
//! need no stack frame of their own on the path of ordinary descriptors.

use libc::{c_int, c_void, off_t, size_t, ssize_t};

use crate::cover_loop::perform;
use crate::ops::{Buf, Iov, Read, ReadAt, ReadV, Seek, Sync, Write, WriteAt, WriteV};
use crate::{errno, split};

fn count(result: Result<i64, c_int>) -> ssize_t {
    errno::ret(result.map(|n| n as ssize_t))
}

fn read_op(fd: c_int, buf: *mut c_void, len: size_t, recv_flags: Option<c_int>) -> ssize_t {
    let op = Read {
        buf: Buf { ptr: buf, len },
        recv_flags,
    };
    count(perform(fd, op))
}

fn write_op(fd: c_int, buf: *const c_void, len: size_t, send_flags: Option<c_int>) -> ssize_t {
    let write_from = |done: usize| {
        let op = Write {
            buf: Buf {
                // The caller's buffer, `done < len` bytes in.
                ptr: buf.cast::<u8>().wrapping_add(done).cast_mut().cast(),
                len: len - done,
            },
            send_flags,
        };
        perform(fd, op)
    };
    count(split::finish(fd, len, write_from(0), write_from))
}

/// `read`.
#[inline(never)]
pub(crate) extern "C" fn read(fd: c_int, buf: *mut c_void, len: size_t) -> ssize_t {
    read_op(fd, buf, len, None)
}

/// `recv`.
#[inline(never)]
pub(crate) extern "C" fn recv(fd: c_int, buf: *mut c_void, len: size_t, flags: c_int) -> ssize_t {
    read_op(fd, buf, len, Some(flags))
}

/// `write`.
#[inline(never)]
pub(crate) extern "C" fn write(fd: c_int, buf: *const c_void, len: size_t) -> ssize_t {
    write_op(fd, buf, len, None)
}

/// `send`.
#[inline(never)]
pub(crate) extern "C" fn send(fd: c_int, buf: *const c_void, len: size_t, flags: c_int) -> ssize_t {
    write_op(fd, buf, len, Some(flags))
}

/// `readv`.
#[inline(never)]
pub(crate) extern "C" fn readv(fd: c_int, iov: *const libc::iovec, n: c_int) -> ssize_t {
    count(perform(fd, ReadV(Iov { ptr: iov, count: n })))
}

/// `writev`.
#[inline(never)]
pub(crate) extern "C" fn writev(fd: c_int, iov: *const libc::iovec, n: c_int) -> ssize_t {
    let whole = Iov { ptr: iov, count: n };
    let first = perform(fd, WriteV(whole));
    count(split::finish(fd, whole.total(), first, |done| {
        let rest = whole.after(done);
        perform(
            fd,
            WriteV(Iov {
                ptr: rest.as_ptr(),
                count: rest.len() as c_int,
            }),
        )
    }))
}

/// `pread`.
#[inline(never)]
pub(crate) extern "C" fn pread(fd: c_int, buf: *mut c_void, len: size_t, offset: off_t) -> ssize_t {
    let op = ReadAt {
        buf: Buf { ptr: buf, len },
        offset,
    };
    count(perform(fd, op))
}

/// `pwrite`.
#[inline(never)]
pub(crate) extern "C" fn pwrite(
    fd: c_int,
    buf: *const c_void,
    len: size_t,
    offset: off_t,
) -> ssize_t {
    let write_from = |done: usize| {
        let op = WriteAt {
            buf: Buf {
                // The caller's buffer, `done < len` bytes in.
                ptr: buf.cast::<u8>().wrapping_add(done).cast_mut().cast(),
                len: len - done,
            },
            offset: offset + done as i64,
        };
        perform(fd, op)
    };
    count(split::finish(fd, len, write_from(0), write_from))
}

/// `lseek`.
#[inline(never)]
pub(crate) extern "C" fn lseek(fd: c_int, offset: off_t, whence: c_int) -> off_t {
    let at = perform(fd, Seek { offset, whence });
    // To the end is where an append leaves it (python's open(path, 'a')
    // seeks there).
    let moved = !(offset == 0 && (whence == libc::SEEK_CUR || whence == libc::SEEK_END));
    if at.is_ok()
        && moved
        && let Some(member) = crate::table::get(fd)
        && !crate::recursion::recovering(&member.group)
    {
        // An append-mode file's position no longer says where its last
        // append ended. (A recovery function's seek places the new
        // connection: the dead one's position is already read.)
        member.group.shared.lock().group.note_seek();
    }
    errno::ret(at)
}

/// `fsync` or `fdatasync`.
#[inline(never)]
pub(crate) extern "C" fn sync(fd: c_int, data_only: bool) -> c_int {
    errno::ret(perform(fd, Sync { data_only }).map(|_| 0))
}

/// `close` of an HA descriptor: detached, then closed. A descriptor open
/// only for reading whose server died has nothing left to lose: the error its
/// close gets from the dead connection is no news, and is not reported (a
/// program that checks `close`, as `grep` and `cp` do, would fail a run whose
/// every read succeeded). A writable one reports it: a server that kept
/// written data in a cache may have lost it.
#[inline(never)]
pub(crate) extern "C" fn close(fd: c_int) -> c_int {
    let quiet = crate::table::get(fd).filter(|member| {
        let read_only = crate::syscall::status_flags(fd)
            .is_ok_and(|flags| flags & libc::O_ACCMODE == libc::O_RDONLY);
        read_only && member.group.kind == ha_cover_rt::Kind::File
    });
    forget(fd);
    // SAFETY: the caller's descriptor.
    let ret = unsafe { crate::glibc::close(fd) };
    if ret < 0
        && let Some(member) = quiet
    {
        let errno = errno::get();
        let dead = member.group.shared.classifier().is_failure(
            ha_cover_rt::Kind::File,
            ha_cover_engine::OpKind::Read,
            errno,
            &(),
        );
        if dead {
            return 0;
        }
    }
    ret
}

/// Forgets an HA descriptor that is being closed or replaced.
#[inline(never)]
pub(crate) extern "C" fn forget(fd: c_int) {
    crate::preload::closing(fd);
    let _ = crate::attach::detach(fd);
}
