//! Each operation a cover performs, as a value the cover loop can run, run again
//! after a recovery, and report to the handle.

use std::io::{self, IoSlice, IoSliceMut, Read, Seek, SeekFrom};
use std::os::unix::fs::FileExt;

use crate::connection::{Connection, SyncConnection, WriteConnection};
use ha_cover_engine::Ledger;

use crate::group::{Ext, ReplayWriter, Sole};
use crate::handle::{Recoverable, Transfer};
use ha_cover_engine::OpKind;

pub(crate) trait Operation<C> {
    type Output: Copy;
    const KIND: OpKind;
    /// Whether the operation moves a file's position (so dups must not interleave
    /// it with the handle's update).
    const MOVES_POSITION: bool;

    /// Bytes a write asks to transfer.
    fn len(&self) -> usize {
        0
    }

    fn run(&mut self, conn: &mut C) -> io::Result<Self::Output>;

    /// A read that returned end-of-file although there was room for data.
    fn is_eof(&self, _out: &Self::Output) -> bool {
        false
    }

    fn observe<H: Recoverable>(&self, out: &Self::Output, handle: &mut H);

    /// Keeps a socket group's ledger: a read with data answers, a write adds
    /// unanswered bytes.
    fn record(&self, _out: &Self::Output, _traffic: &mut impl Traffic<C>) {}

    /// The result for an operation that completed without running again: a write
    /// that had landed, a read at an end-of-file that recovery could not get past.
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

/// Where a socket member's traffic is counted: its sole group, or a shared one.
pub(crate) trait Traffic<C> {
    /// A read returned `n` bytes.
    fn read(&mut self, n: usize);

    /// A write sent bytes, which `count` puts in the ledger; `writer` can send
    /// such bytes again.
    fn sent(&mut self, writer: ReplayWriter<C>, count: impl FnOnce(&mut Ledger));
}

impl<C, H> Traffic<C> for Sole<C, H> {
    #[inline]
    fn read(&mut self, n: usize) {
        self.group.note_read(n);
    }

    #[inline]
    fn sent(&mut self, writer: ReplayWriter<C>, count: impl FnOnce(&mut Ledger)) {
        count(self.group.ledger_mut());
        self.ext.replay_writer = Some(writer);
    }
}

impl<C, H> Traffic<C> for &ha_cover_engine::Shared<Ext<C, H>> {
    #[inline]
    fn read(&mut self, n: usize) {
        self.note_read(n);
    }

    fn sent(&mut self, writer: ReplayWriter<C>, count: impl FnOnce(&mut Ledger)) {
        let mut state = self.lock();
        count(state.group.ledger_mut());
        state.ext.replay_writer = Some(writer);
    }
}

/// Calls `each` with the first `n` bytes spread over `bufs`.
fn for_each_filled<'a>(
    bufs: impl Iterator<Item = &'a [u8]>,
    mut n: usize,
    mut each: impl FnMut(&'a [u8]),
) {
    for buf in bufs {
        if n == 0 {
            break;
        }
        let take = n.min(buf.len());
        if take > 0 {
            each(&buf[..take]);
        }
        n -= take;
    }
}

/// Writes all of `bytes`: how replayed bytes are sent again.
pub(crate) fn write_all<C: WriteConnection>(conn: &mut C, mut bytes: &[u8]) -> io::Result<()> {
    while !bytes.is_empty() {
        match conn.write(bytes) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

pub(crate) struct ReadOp<'b>(pub &'b mut [u8]);

impl<C: Connection + Read> Operation<C> for ReadOp<'_> {
    type Output = usize;
    const KIND: OpKind = OpKind::Read;
    const MOVES_POSITION: bool = true;

    #[inline]
    fn run(&mut self, conn: &mut C) -> io::Result<usize> {
        conn.read(self.0)
    }

    #[inline]
    fn is_eof(&self, out: &usize) -> bool {
        *out == 0 && !self.0.is_empty()
    }

    #[inline]
    fn observe<H: Recoverable>(&self, out: &usize, handle: &mut H) {
        handle.on_transfer(Transfer::Read(&self.0[..*out]));
    }

    #[inline]
    fn record(&self, out: &usize, traffic: &mut impl Traffic<C>) {
        traffic.read(*out);
    }

    fn output_for(len: usize) -> usize {
        len
    }
}

pub(crate) struct ReadVectoredOp<'b, 'c>(pub &'b mut [IoSliceMut<'c>]);

impl<C: Connection + Read> Operation<C> for ReadVectoredOp<'_, '_> {
    type Output = usize;
    const KIND: OpKind = OpKind::Read;
    const MOVES_POSITION: bool = true;

    #[inline]
    fn run(&mut self, conn: &mut C) -> io::Result<usize> {
        conn.read_vectored(self.0)
    }

    fn is_eof(&self, out: &usize) -> bool {
        *out == 0 && self.0.iter().any(|b| !b.is_empty())
    }

    #[inline]
    fn observe<H: Recoverable>(&self, out: &usize, handle: &mut H) {
        if H::OBSERVES_TRANSFERS {
            for_each_filled(self.0.iter().map(|b| &**b), *out, |d| {
                handle.on_transfer(Transfer::Read(d))
            });
        }
    }

    fn record(&self, out: &usize, traffic: &mut impl Traffic<C>) {
        traffic.read(*out);
    }

    fn output_for(len: usize) -> usize {
        len
    }
}

pub(crate) struct WriteOp<'b>(pub &'b [u8]);

impl<C: WriteConnection> Operation<C> for WriteOp<'_> {
    type Output = usize;
    const KIND: OpKind = OpKind::Write;
    const MOVES_POSITION: bool = true;

    fn len(&self) -> usize {
        self.0.len()
    }

    #[inline]
    fn run(&mut self, conn: &mut C) -> io::Result<usize> {
        conn.write(self.0)
    }

    #[inline]
    fn observe<H: Recoverable>(&self, out: &usize, handle: &mut H) {
        handle.on_transfer(Transfer::Written(&self.0[..*out]));
    }

    #[inline]
    fn record(&self, out: &usize, traffic: &mut impl Traffic<C>) {
        traffic.sent(write_all::<C>, |ledger| ledger.sent(&self.0[..*out]));
    }

    fn output_for(len: usize) -> usize {
        len
    }
}

pub(crate) struct WriteVectoredOp<'b, 'c>(pub &'b [IoSlice<'c>]);

impl<C: WriteConnection> Operation<C> for WriteVectoredOp<'_, '_> {
    type Output = usize;
    const KIND: OpKind = OpKind::Write;
    const MOVES_POSITION: bool = true;

    fn len(&self) -> usize {
        self.0.iter().map(|b| b.len()).sum()
    }

    #[inline]
    fn run(&mut self, conn: &mut C) -> io::Result<usize> {
        conn.write_vectored(self.0)
    }

    #[inline]
    fn observe<H: Recoverable>(&self, out: &usize, handle: &mut H) {
        if H::OBSERVES_TRANSFERS {
            for_each_filled(self.0.iter().map(|b| &**b), *out, |d| {
                handle.on_transfer(Transfer::Written(d))
            });
        }
    }

    fn record(&self, out: &usize, traffic: &mut impl Traffic<C>) {
        traffic.sent(write_all::<C>, |ledger| {
            for_each_filled(self.0.iter().map(|b| &**b), *out, |d| ledger.sent(d))
        });
    }

    fn output_for(len: usize) -> usize {
        len
    }
}

pub(crate) struct ReadAtOp<'b> {
    pub buf: &'b mut [u8],
    pub offset: u64,
}

impl<C: Connection + FileExt> Operation<C> for ReadAtOp<'_> {
    type Output = usize;
    const KIND: OpKind = OpKind::ReadAt;
    const MOVES_POSITION: bool = false;

    #[inline]
    fn run(&mut self, conn: &mut C) -> io::Result<usize> {
        conn.read_at(self.buf, self.offset)
    }

    #[inline]
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

impl<C: Connection + FileExt> crate::positioned::SharedOperation<C> for ReadAtOp<'_> {
    #[inline]
    fn run_shared(&mut self, conn: &C) -> io::Result<usize> {
        conn.read_at(self.buf, self.offset)
    }
}

impl<C: Connection + FileExt> crate::positioned::SharedOperation<C> for WriteAtOp<'_> {
    #[inline]
    fn run_shared(&mut self, conn: &C) -> io::Result<usize> {
        conn.write_at(self.buf, self.offset)
    }
}

pub(crate) struct WriteAtOp<'b> {
    pub buf: &'b [u8],
    pub offset: u64,
}

impl<C: Connection + FileExt> Operation<C> for WriteAtOp<'_> {
    type Output = usize;
    const KIND: OpKind = OpKind::WriteAt;
    const MOVES_POSITION: bool = false;

    fn len(&self) -> usize {
        self.buf.len()
    }

    #[inline]
    fn run(&mut self, conn: &mut C) -> io::Result<usize> {
        conn.write_at(self.buf, self.offset)
    }

    #[inline]
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

pub(crate) struct SeekOp(pub SeekFrom);

impl<C: Connection + Seek> Operation<C> for SeekOp {
    type Output = u64;
    const KIND: OpKind = OpKind::Seek;
    const MOVES_POSITION: bool = true;

    #[inline]
    fn run(&mut self, conn: &mut C) -> io::Result<u64> {
        conn.seek(self.0)
    }

    #[inline]
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

pub(crate) struct FlushOp;

impl<C: WriteConnection> Operation<C> for FlushOp {
    type Output = ();
    const KIND: OpKind = OpKind::Flush;
    const MOVES_POSITION: bool = false;

    #[inline]
    fn run(&mut self, conn: &mut C) -> io::Result<()> {
        conn.flush()
    }

    fn observe<H: Recoverable>(&self, _: &(), _: &mut H) {}

    fn output_for(_: usize) {}
}

pub(crate) struct SyncOp {
    pub data_only: bool,
}

impl<C: SyncConnection> Operation<C> for SyncOp {
    type Output = ();
    const KIND: OpKind = OpKind::Sync;
    const MOVES_POSITION: bool = false;

    fn run(&mut self, conn: &mut C) -> io::Result<()> {
        if self.data_only {
            conn.sync_data()
        } else {
            conn.sync_all()
        }
    }

    fn observe<H: Recoverable>(&self, _: &(), _: &mut H) {}

    fn output_for(_: usize) {}
}
