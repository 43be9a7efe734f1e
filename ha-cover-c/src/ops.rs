//! Each covered call as a value the cover loop can run, run again after a
//! recovery, and account for in a socket's ledger.

use ha_cover_engine::{OpKind, Shared};
use libc::{c_int, c_void};

use crate::syscall;

/// A covered call. Results are the system call's: a count or an offset, or
/// the `errno` it failed with.
pub(crate) trait Op {
    const KIND: OpKind;

    /// Bytes a write asks to transfer.
    fn len(&self) -> usize {
        0
    }

    /// Makes the system call; `socket` selects `MSG_NOSIGNAL` sends.
    fn run(&mut self, fd: c_int, socket: bool) -> Result<i64, c_int>;

    /// A read that returned end-of-file although it had room for data.
    fn is_eof(&self, _n: i64) -> bool {
        false
    }

    /// Keeps a socket group's ledger: a read with data answers, a write adds
    /// unanswered bytes.
    fn record<X>(&self, _n: i64, _group: &Shared<X>) {}
}

/// `count` bytes at `buf`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Buf {
    pub ptr: *mut c_void,
    pub len: usize,
}

impl Buf {
    /// The first `n` bytes, as sent.
    ///
    /// # Safety
    /// `ptr` must be readable for `len` bytes, as the C caller promised.
    unsafe fn filled(&self, n: i64) -> &[u8] {
        let n = usize::try_from(n).unwrap_or(0).min(self.len);
        if n == 0 {
            return &[];
        }
        // SAFETY: see the function's contract; `n <= len`.
        unsafe { std::slice::from_raw_parts(self.ptr.cast::<u8>(), n) }
    }
}

/// An iovec array from the caller.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Iov {
    pub ptr: *const libc::iovec,
    pub count: c_int,
}

impl Iov {
    fn slices(&self) -> &[libc::iovec] {
        match usize::try_from(self.count) {
            // SAFETY: the C caller passes `count` valid iovecs at `ptr`.
            Ok(count) if count > 0 && !self.ptr.is_null() => unsafe {
                std::slice::from_raw_parts(self.ptr, count)
            },
            _ => &[],
        }
    }

    pub(crate) fn total(&self) -> usize {
        self.slices().iter().map(|v| v.iov_len).sum()
    }

    /// The iovecs of what is left after the first `done` bytes.
    pub(crate) fn after(&self, mut done: usize) -> Vec<libc::iovec> {
        let mut rest = Vec::with_capacity(self.slices().len());
        for v in self.slices() {
            if done >= v.iov_len {
                done -= v.iov_len;
                continue;
            }
            rest.push(libc::iovec {
                iov_base: v.iov_base.cast::<u8>().wrapping_add(done).cast(),
                iov_len: v.iov_len - done,
            });
            done = 0;
        }
        rest
    }
}

fn answered<X>(n: i64, group: &Shared<X>) {
    group.note_read(usize::try_from(n).unwrap_or(0));
}

/// `read`, and `recv` with its flags.
pub(crate) struct Read {
    pub buf: Buf,
    pub recv_flags: Option<c_int>,
}

impl Op for Read {
    const KIND: OpKind = OpKind::Read;

    fn run(&mut self, fd: c_int, _socket: bool) -> Result<i64, c_int> {
        match self.recv_flags {
            Some(flags) => syscall::recv(fd, self.buf.ptr, self.buf.len, flags),
            None => syscall::read(fd, self.buf.ptr, self.buf.len),
        }
    }

    fn is_eof(&self, n: i64) -> bool {
        n == 0 && self.buf.len > 0
    }

    fn record<X>(&self, n: i64, group: &Shared<X>) {
        answered(n, group);
    }
}

/// `readv`.
pub(crate) struct ReadV(pub Iov);

impl Op for ReadV {
    const KIND: OpKind = OpKind::Read;

    fn run(&mut self, fd: c_int, _socket: bool) -> Result<i64, c_int> {
        syscall::readv(fd, self.0.ptr, self.0.count)
    }

    fn is_eof(&self, n: i64) -> bool {
        n == 0 && self.0.total() > 0
    }

    fn record<X>(&self, n: i64, group: &Shared<X>) {
        answered(n, group);
    }
}

/// `pread`, `pread64`.
pub(crate) struct ReadAt {
    pub buf: Buf,
    pub offset: i64,
}

impl Op for ReadAt {
    const KIND: OpKind = OpKind::ReadAt;

    fn run(&mut self, fd: c_int, _socket: bool) -> Result<i64, c_int> {
        syscall::pread(fd, self.buf.ptr, self.buf.len, self.offset)
    }
}

/// `write`, and `send` with its flags.
pub(crate) struct Write {
    pub buf: Buf,
    pub send_flags: Option<c_int>,
}

impl Op for Write {
    const KIND: OpKind = OpKind::Write;

    fn len(&self) -> usize {
        self.buf.len
    }

    fn run(&mut self, fd: c_int, socket: bool) -> Result<i64, c_int> {
        match self.send_flags {
            Some(flags) => syscall::send(fd, self.buf.ptr, self.buf.len, flags),
            None if socket => syscall::send(fd, self.buf.ptr, self.buf.len, 0),
            None => syscall::write(fd, self.buf.ptr, self.buf.len),
        }
    }

    fn record<X>(&self, n: i64, group: &Shared<X>) {
        // SAFETY: the caller's buffer, readable for its length.
        group.note_sent(unsafe { self.buf.filled(n) });
    }
}

/// `writev`.
pub(crate) struct WriteV(pub Iov);

impl Op for WriteV {
    const KIND: OpKind = OpKind::Write;

    fn len(&self) -> usize {
        self.0.total()
    }

    fn run(&mut self, fd: c_int, socket: bool) -> Result<i64, c_int> {
        if socket {
            syscall::sendv(fd, self.0.ptr, self.0.count)
        } else {
            syscall::writev(fd, self.0.ptr, self.0.count)
        }
    }

    fn record<X>(&self, n: i64, group: &Shared<X>) {
        let mut left = usize::try_from(n).unwrap_or(0);
        for v in self.0.slices() {
            if left == 0 {
                break;
            }
            let take = left.min(v.iov_len);
            let part = Buf {
                ptr: v.iov_base,
                len: take,
            };
            // SAFETY: the caller's iovec, readable for its length.
            group.note_sent(unsafe { part.filled(take as i64) });
            left -= take;
        }
    }
}

/// `pwrite`, `pwrite64`.
pub(crate) struct WriteAt {
    pub buf: Buf,
    pub offset: i64,
}

impl Op for WriteAt {
    const KIND: OpKind = OpKind::WriteAt;

    fn len(&self) -> usize {
        self.buf.len
    }

    fn run(&mut self, fd: c_int, _socket: bool) -> Result<i64, c_int> {
        syscall::pwrite(fd, self.buf.ptr, self.buf.len, self.offset)
    }
}

/// `lseek`, `lseek64`.
pub(crate) struct Seek {
    pub offset: i64,
    pub whence: c_int,
}

impl Op for Seek {
    const KIND: OpKind = OpKind::Seek;

    fn run(&mut self, fd: c_int, _socket: bool) -> Result<i64, c_int> {
        syscall::lseek(fd, self.offset, self.whence)
    }
}

/// `fsync`, `fdatasync`.
pub(crate) struct Sync {
    pub data_only: bool,
}

impl Op for Sync {
    const KIND: OpKind = OpKind::Sync;

    fn run(&mut self, fd: c_int, _socket: bool) -> Result<i64, c_int> {
        syscall::sync(fd, self.data_only)
    }
}
