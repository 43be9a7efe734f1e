//! tokio's I/O traits on an async cover, and a covered file's positioned and
//! sync operations.

use std::io::{self, SeekFrom};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, AsyncSeek, AsyncWrite, ReadBuf};

use super::connection::{AsyncConnection, AsyncFileOps, AsyncSeekConnection};
use super::cover::AsyncCover;
use super::ops::{AsyncOperation, FlushOp, OpIdentity, ReadOp, SeekOp, ShutdownOp, WriteOp};
use crate::connection::Kind;
use crate::handle::{Recoverable, Transfer};
use ha_cover_engine::OpKind;

impl<C: AsyncConnection, H: Recoverable> AsyncRead for AsyncCover<C, H> {
    /// The read alone when nothing failed and nothing happened since this
    /// member's last operation (written out here rather than through the
    /// generic operation: it is the call async clients make most); the cold
    /// path handles everything else.
    #[inline]
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.pending_seek = None;
        let mut ran = None;
        if this.is_settled() {
            // Counted by what remains, not by slicing what is filled: no
            // bounds check on the way. Small, so that it inlines where it is
            // awaited.
            let before = buf.remaining();
            let result = ready!(this.conn.poll_read(cx, buf));
            let done = result.is_ok()
                && match C::KIND {
                    Kind::File => !H::OBSERVES_TRANSFERS,
                    // Data that answers nothing is all a socket read has to
                    // note.
                    Kind::Socket => {
                        !H::OBSERVES_TRANSFERS
                            && buf.remaining() < before
                            && !this.group.has_unanswered()
                    }
                    // A kind this cover does not know: the cold path.
                    _ => false,
                };
            if done {
                return Poll::Ready(Ok(()));
            }
            ran = Some((buf.capacity() - before, result));
        }
        this.poll_read_cold(cx, buf, ran)
    }
}

impl<C: AsyncConnection, H: Recoverable> AsyncCover<C, H> {
    /// A read on the cold path: `ran` is the read the path with no failure
    /// made (where it started in `buf`, and its result), if it made one; a
    /// read that succeeded comes here too when it has something to tell the
    /// handle or the ledger, or met a socket's end.
    #[cold]
    #[inline(never)]
    fn poll_read_cold(
        &mut self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
        ran: Option<(usize, io::Result<()>)>,
    ) -> Poll<io::Result<()>> {
        let (start, result) = match ran {
            Some((start, Ok(()))) => (start, Some(Ok(buf.filled().len() - start))),
            Some((start, Err(e))) => {
                // A failed read delivers nothing, whatever the connection put
                // in the buffer: the read sent again must start where this one
                // did.
                buf.set_filled(start);
                (start, Some(Err(e)))
            }
            None => (buf.filled().len(), None),
        };
        let mut op = ReadOp { buf, start };
        self.poll_op_cold(cx, &mut op, result).map_ok(drop)
    }
}

impl<C: AsyncConnection, H: Recoverable> AsyncWrite for AsyncCover<C, H> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().poll_op(cx, &mut WriteOp(buf))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().poll_op(cx, &mut FlushOp)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().poll_op(cx, &mut ShutdownOp)
    }
}

impl<C: AsyncSeekConnection, H: Recoverable> AsyncSeek for AsyncCover<C, H> {
    fn start_seek(self: Pin<&mut Self>, position: SeekFrom) -> io::Result<()> {
        self.get_mut().pending_seek = Some(position);
        Ok(())
    }

    fn poll_complete(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        let this = self.get_mut();
        let position = this.pending_seek.unwrap_or(SeekFrom::Current(0));
        let result = ready!(this.poll_op(cx, &mut SeekOp(position)));
        this.pending_seek = None;
        if result.is_ok() && !matches!(position, SeekFrom::Current(0) | SeekFrom::End(0)) {
            // An append-mode file's position no longer says where its last
            // append ended (to the end is where an append leaves it).
            this.group.lock().group.note_seek();
        }
        Poll::Ready(result)
    }
}

pub(crate) struct ReadAtOp<'a> {
    pub buf: &'a mut [u8],
    pub offset: u64,
}

impl<C: AsyncFileOps> AsyncOperation<C> for ReadAtOp<'_> {
    type Output = usize;
    const KIND: OpKind = OpKind::ReadAt;

    fn poll_run(&mut self, conn: &mut C, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        conn.poll_read_at(cx, self.buf, self.offset)
    }

    fn identity(&self) -> OpIdentity {
        OpIdentity::with(OpKind::ReadAt, self.buf, self.offset)
    }

    fn observe<H: Recoverable>(&self, out: &usize, handle: &mut H) {
        handle.on_transfer(Transfer::ReadAt {
            offset: self.offset,
            data: &self.buf[..*out],
        });
    }

    fn output_for(len: usize) -> usize {
        len
    }
}

pub(crate) struct WriteAtOp<'a> {
    pub buf: &'a [u8],
    pub offset: u64,
}

impl<C: AsyncFileOps> AsyncOperation<C> for WriteAtOp<'_> {
    type Output = usize;
    const KIND: OpKind = OpKind::WriteAt;

    fn len(&self) -> usize {
        self.buf.len()
    }

    fn identity(&self) -> OpIdentity {
        OpIdentity::sending(OpKind::WriteAt, self.buf, self.offset)
    }

    fn poll_run(&mut self, conn: &mut C, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        conn.poll_write_at(cx, self.buf, self.offset)
    }

    fn observe<H: Recoverable>(&self, out: &usize, handle: &mut H) {
        handle.on_transfer(Transfer::WrittenAt {
            offset: self.offset,
            data: &self.buf[..*out],
        });
    }

    fn output_for(len: usize) -> usize {
        len
    }
}

pub(crate) struct SyncOp {
    pub data_only: bool,
}

impl<C: AsyncFileOps> AsyncOperation<C> for SyncOp {
    type Output = ();
    const KIND: OpKind = OpKind::Sync;

    fn poll_run(&mut self, conn: &mut C, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        conn.poll_sync(cx, self.data_only)
    }

    fn identity(&self) -> OpIdentity {
        OpIdentity::with(OpKind::Sync, &[], self.data_only.into())
    }

    fn observe<H: Recoverable>(&self, _: &(), _: &mut H) {}

    fn output_for(_: usize) {}
}

/// Positioned I/O and syncing on a covered file.
impl<C: AsyncFileOps, H: Recoverable> AsyncCover<C, H> {
    /// Reads at `offset` (`pread`), recovering as any read.
    pub async fn read_at(&mut self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        let mut op = ReadAtOp { buf, offset };
        std::future::poll_fn(|cx| self.poll_op(cx, &mut op)).await
    }

    /// Writes at `offset` (`pwrite`); sent again after a recovery.
    pub async fn write_at(&mut self, buf: &[u8], offset: u64) -> io::Result<usize> {
        let mut op = WriteAtOp { buf, offset };
        std::future::poll_fn(|cx| self.poll_op(cx, &mut op)).await
    }

    /// Reads exactly `buf.len()` bytes at `offset`.
    pub async fn read_exact_at(&mut self, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
        while !buf.is_empty() {
            match self.read_at(buf, offset).await? {
                0 => return Err(io::ErrorKind::UnexpectedEof.into()),
                n => {
                    buf = &mut buf[n..];
                    offset += n as u64;
                }
            }
        }
        Ok(())
    }

    /// Writes all of `buf` at `offset`.
    pub async fn write_all_at(&mut self, mut buf: &[u8], mut offset: u64) -> io::Result<()> {
        while !buf.is_empty() {
            match self.write_at(buf, offset).await? {
                0 => return Err(io::ErrorKind::WriteZero.into()),
                n => {
                    buf = &buf[n..];
                    offset += n as u64;
                }
            }
        }
        Ok(())
    }

    /// Flushes data and metadata to the device (`fsync`).
    pub async fn sync_all(&mut self) -> io::Result<()> {
        let mut op = SyncOp { data_only: false };
        std::future::poll_fn(|cx| self.poll_op(cx, &mut op)).await
    }

    /// Flushes data to the device (`fdatasync`).
    pub async fn sync_data(&mut self) -> io::Result<()> {
        let mut op = SyncOp { data_only: true };
        std::future::poll_fn(|cx| self.poll_op(cx, &mut op)).await
    }
}

impl<C: AsyncConnection + AsFd, H: Recoverable> AsFd for AsyncCover<C, H> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.get_ref().as_fd()
    }
}

impl<C: AsyncConnection + AsRawFd, H: Recoverable> AsRawFd for AsyncCover<C, H> {
    fn as_raw_fd(&self) -> RawFd {
        self.get_ref().as_raw_fd()
    }
}
