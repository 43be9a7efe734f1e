//! Each operation an async cover performs, as a value its poll loop can run,
//! run again after a recovery, and report to the handle.

use std::io::{self, SeekFrom};
use std::task::{Context, Poll, ready};

use tokio::io::ReadBuf;

use super::connection::{AsyncConnection, AsyncSeekConnection};
use crate::handle::{Recoverable, Transfer};
use ha_cover_engine::OpKind;
use ha_cover_engine::Shared;

/// Which call an operation is. tokio's I/O traits do not say whether a poll
/// continues the call that failed or is a new one made after its future was
/// dropped (a timeout, a `select!`); only a continuation may be treated as the
/// failed call sent again. Computed on the failure path only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct OpIdentity {
    kind: OpKind,
    buf: usize,
    len: usize,
    arg: u64,
    /// Of the bytes a write sends: a new write from a reused buffer is a new
    /// call.
    digest: u64,
}

impl OpIdentity {
    pub fn of(kind: OpKind) -> Self {
        Self::with(kind, &[], 0)
    }

    pub fn with(kind: OpKind, buf: &[u8], arg: u64) -> Self {
        Self {
            kind,
            buf: buf.as_ptr() as usize,
            len: buf.len(),
            arg,
            digest: 0,
        }
    }

    pub fn sending(kind: OpKind, bytes: &[u8], arg: u64) -> Self {
        use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
        Self {
            digest: BuildHasherDefault::<DefaultHasher>::default().hash_one(bytes),
            ..Self::with(kind, bytes, arg)
        }
    }
}

pub(crate) trait AsyncOperation<C> {
    type Output: Copy;
    const KIND: OpKind;

    fn len(&self) -> usize {
        0
    }

    fn identity(&self) -> OpIdentity {
        OpIdentity::of(Self::KIND)
    }

    fn poll_run(&mut self, conn: &mut C, cx: &mut Context<'_>) -> Poll<io::Result<Self::Output>>;

    fn is_eof(&self, _out: &Self::Output) -> bool {
        false
    }

    fn observe<H: Recoverable>(&self, out: &Self::Output, handle: &mut H);

    /// Keeps the group's ledger: a read with data answers, a write adds
    /// unanswered bytes.
    fn record<X>(&self, _out: &Self::Output, _group: &Shared<X>) {}

    fn output_for(len: usize) -> Self::Output;

    /// A seek is the one operation that succeeds on a dead connection (the
    /// kernel keeps a file's position): one that ran while a recovery ended
    /// may have moved the connection it replaced, and is made again, to where
    /// it went, on the new one.
    fn seek_again(&self, _out: &Self::Output) -> Option<Self>
    where
        Self: Sized,
    {
        None
    }
}

pub(crate) struct ReadOp<'a, 'b> {
    pub buf: &'a mut ReadBuf<'b>,
    /// Where this call's bytes start in `buf`.
    pub start: usize,
}

impl<C: AsyncConnection> AsyncOperation<C> for ReadOp<'_, '_> {
    type Output = usize;
    const KIND: OpKind = OpKind::Read;

    #[inline(always)]
    fn poll_run(&mut self, conn: &mut C, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        self.start = self.buf.filled().len();
        match ready!(conn.poll_read(cx, self.buf)) {
            Ok(()) => Poll::Ready(Ok(self.buf.filled().len() - self.start)),
            Err(e) => {
                // A failed read delivers nothing, whatever the connection put in
                // the buffer: the retransmitted read must start where this one did.
                self.buf.set_filled(self.start);
                Poll::Ready(Err(e))
            }
        }
    }

    #[inline]
    fn is_eof(&self, out: &usize) -> bool {
        *out == 0 && self.buf.remaining() > 0
    }

    fn identity(&self) -> OpIdentity {
        let filled = self.buf.filled();
        OpIdentity {
            len: self.buf.capacity(),
            ..OpIdentity::with(OpKind::Read, filled, filled.len() as u64)
        }
    }

    #[inline]
    fn observe<H: Recoverable>(&self, out: &usize, handle: &mut H) {
        handle.on_transfer(Transfer::Read(
            &self.buf.filled()[self.start..self.start + *out],
        ));
    }

    #[inline(always)]
    fn record<X>(&self, out: &usize, group: &Shared<X>) {
        group.note_read(*out);
    }

    fn output_for(len: usize) -> usize {
        len
    }
}

pub(crate) struct WriteOp<'a>(pub &'a [u8]);

impl<C: AsyncConnection> AsyncOperation<C> for WriteOp<'_> {
    type Output = usize;
    const KIND: OpKind = OpKind::Write;

    fn len(&self) -> usize {
        self.0.len()
    }

    fn identity(&self) -> OpIdentity {
        OpIdentity::sending(OpKind::Write, self.0, 0)
    }

    #[inline]
    fn poll_run(&mut self, conn: &mut C, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        conn.poll_write(cx, self.0)
    }

    #[inline]
    fn observe<H: Recoverable>(&self, out: &usize, handle: &mut H) {
        handle.on_transfer(Transfer::Written(&self.0[..*out]));
    }

    #[inline]
    fn record<X>(&self, out: &usize, group: &Shared<X>) {
        group.note_sent(&self.0[..*out]);
    }

    fn output_for(len: usize) -> usize {
        len
    }
}

pub(crate) struct FlushOp;

impl<C: AsyncConnection> AsyncOperation<C> for FlushOp {
    type Output = ();
    const KIND: OpKind = OpKind::Flush;

    fn poll_run(&mut self, conn: &mut C, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        conn.poll_flush(cx)
    }

    fn observe<H: Recoverable>(&self, _: &(), _: &mut H) {}

    fn output_for(_: usize) {}
}

pub(crate) struct ShutdownOp;

impl<C: AsyncConnection> AsyncOperation<C> for ShutdownOp {
    type Output = ();
    const KIND: OpKind = OpKind::Flush;

    fn poll_run(&mut self, conn: &mut C, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        conn.poll_shutdown(cx)
    }

    fn observe<H: Recoverable>(&self, _: &(), _: &mut H) {}

    fn output_for(_: usize) {}
}

pub(crate) struct SeekOp(pub SeekFrom);

impl<C: AsyncSeekConnection> AsyncOperation<C> for SeekOp {
    type Output = u64;
    const KIND: OpKind = OpKind::Seek;

    fn poll_run(&mut self, conn: &mut C, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        conn.poll_seek(cx, self.0)
    }

    fn identity(&self) -> OpIdentity {
        let (whence, offset) = match self.0 {
            SeekFrom::Start(at) => (0, at),
            SeekFrom::Current(by) => (1, by as u64),
            SeekFrom::End(by) => (2, by as u64),
        };
        OpIdentity {
            len: whence,
            ..OpIdentity::with(OpKind::Seek, &[], offset)
        }
    }

    fn observe<H: Recoverable>(&self, out: &u64, handle: &mut H) {
        handle.on_transfer(Transfer::Seeked(*out));
    }

    fn output_for(len: usize) -> u64 {
        len as u64
    }

    fn seek_again(&self, out: &u64) -> Option<Self> {
        Some(SeekOp(SeekFrom::Start(*out)))
    }
}
