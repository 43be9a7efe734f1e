//! The std I/O traits on a cover: each forwards to the cover loop.

use std::io::{self, IoSlice, IoSliceMut, Read, Seek, SeekFrom, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::os::unix::fs::FileExt;

use crate::connection::{Connection, SyncConnection, WriteConnection};
use crate::cover::Cover;
use crate::handle::Recoverable;
use crate::ops::{
    FlushOp, ReadAtOp, ReadOp, ReadVectoredOp, SeekOp, SyncOp, WriteAtOp, WriteOp, WriteVectoredOp,
};

impl<C: Connection + Read, H: Recoverable> Read for Cover<C, H> {
    #[inline]
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.perform(ReadOp(buf))
    }

    #[inline]
    fn read_vectored(&mut self, bufs: &mut [IoSliceMut<'_>]) -> io::Result<usize> {
        self.perform(ReadVectoredOp(bufs))
    }
}

impl<C: WriteConnection, H: Recoverable> Write for Cover<C, H> {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.perform(WriteOp(buf))
    }

    #[inline]
    fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        self.perform(WriteVectoredOp(bufs))
    }

    #[inline]
    fn flush(&mut self) -> io::Result<()> {
        self.perform(FlushOp)
    }
}

impl<C: Connection + Seek, H: Recoverable> Seek for Cover<C, H> {
    #[inline]
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let at = self.perform(SeekOp(pos))?;
        // To the end is where an append leaves it.
        if !matches!(pos, SeekFrom::Current(0) | SeekFrom::End(0)) {
            self.note_seek();
        }
        Ok(at)
    }
}

/// Positioned I/O (`pread`/`pwrite`), which leaves the file position alone,
/// through `&self` as std's `File` has it: threads that share one cover (in an
/// `Arc`) read and write at offsets without a dup each.
///
/// What a cover shared this way guarantees, whatever the threads do at once:
/// - Every call reads or writes at its offset on the connection its group is
///   on: a new connection a recovery makes is put under the cover's own
///   descriptor number (`dup3`, as QNX's `ha_reopen` does), so every
///   thread's next call reaches it; a call that failed, or whose error the
///   cover could not tell from a death, on a connection another thread has
///   replaced since runs again on the new one; a dup'ed cover whose group
///   another member moved moves first, as `&mut self` calls do.
/// - One recovery per failure for all the threads: one settles it, the
///   others wait and run their call again on its connection.
/// - A write that failed is sent again after the recovery (the same bytes at
///   the same offset, which rewrites them if the dead server had taken them);
///   a call returns the count of the connection it landed on, once.
///
/// The recovery function runs under the cover's lock here: it does not call
/// into the cover itself. A connection type whose
/// [`repoint`](crate::Connection::repoint) cannot put a new connection in
/// place (the default for types of your own) fails the `&self` calls after
/// a recovery with `Unsupported` until a call through `&mut self` moves the
/// cover to it.
impl<C: Connection + FileExt, H: Recoverable> Cover<C, H> {
    /// Reads at `offset` (`pread`).
    #[inline]
    pub fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        self.perform_ref(ReadAtOp { buf, offset })
    }

    /// Writes at `offset` (`pwrite`). Sent again after a recovery: rewriting the
    /// same bytes at the same offset is idempotent. On a file opened
    /// `O_APPEND`, where Linux appends a `pwrite` whatever its offset, it is
    /// an append, made one at a time with the others, and one that met a
    /// death fails with [`Indeterminate`](crate::Indeterminate) (it may have
    /// landed) instead of being sent again.
    #[inline]
    pub fn write_at(&self, buf: &[u8], offset: u64) -> io::Result<usize> {
        self.perform_write_at(WriteAtOp { buf, offset })
    }

    /// Reads exactly `buf.len()` bytes at `offset`.
    pub fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        FileExt::read_exact_at(self, buf, offset)
    }

    /// Writes all of `buf` at `offset`.
    pub fn write_all_at(&self, buf: &[u8], offset: u64) -> io::Result<()> {
        FileExt::write_all_at(self, buf, offset)
    }
}

/// std's positioned I/O trait, so that code generic over `FileExt` takes a
/// cover: the same calls as the inherent ones.
impl<C: Connection + FileExt, H: Recoverable> FileExt for Cover<C, H> {
    #[inline]
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        self.perform_ref(ReadAtOp { buf, offset })
    }

    #[inline]
    fn write_at(&self, buf: &[u8], offset: u64) -> io::Result<usize> {
        self.perform_write_at(WriteAtOp { buf, offset })
    }
}

impl<C: SyncConnection, H: Recoverable> Cover<C, H> {
    /// Flushes data and metadata to the device (`fsync`), recovering first if the
    /// server died.
    pub fn sync_all(&mut self) -> io::Result<()> {
        self.perform(SyncOp { data_only: false })
    }

    /// Flushes data to the device (`fdatasync`), recovering first if the server died.
    pub fn sync_data(&mut self) -> io::Result<()> {
        self.perform(SyncOp { data_only: true })
    }
}

/// The descriptor of the current connection: a recovery replaces it.
impl<C: Connection + AsFd, H: Recoverable> AsFd for Cover<C, H> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.get_ref().as_fd()
    }
}

impl<C: Connection + AsRawFd, H: Recoverable> AsRawFd for Cover<C, H> {
    fn as_raw_fd(&self) -> RawFd {
        self.get_ref().as_raw_fd()
    }
}
