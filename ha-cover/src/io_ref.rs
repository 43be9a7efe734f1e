//! Sequential I/O through `&Cover` on a file, as std's `Read` and `Write`
//! for `&File`: threads that share one cover (in an `Arc`) read or write it
//! at its one file position, with no dup each.
//!
//! The calls run on the mechanism of positioned calls through `&self`
//! (`positioned.rs`): a recovery puts the new open file description under
//! the cover's own descriptor number, and a call that failed on the one it
//! replaced is decided with what that recovery found.

use std::io::{self, Read, Write};

use ha_cover_engine::OpKind;

use crate::connection::{Connection, FileConnection};
use crate::cover::Cover;
use crate::handle::{Recoverable, Transfer};
use crate::ops::Operation;
use crate::positioned::SharedOperation;

/// A read at the file position through a shared reference (`Read for &File`).
pub(crate) struct ReadRefOp<'b>(pub &'b mut [u8]);

impl<C> Operation<C> for ReadRefOp<'_>
where
    C: Connection,
    for<'a> &'a C: Read,
{
    type Output = usize;
    const KIND: OpKind = OpKind::Read;
    const MOVES_POSITION: bool = true;

    fn run(&mut self, conn: &mut C) -> io::Result<usize> {
        let mut conn: &C = conn;
        conn.read(self.0)
    }

    fn is_eof(&self, out: &usize) -> bool {
        *out == 0 && !self.0.is_empty()
    }

    #[inline]
    fn observe<H: Recoverable>(&self, out: &usize, handle: &mut H) {
        handle.on_transfer(Transfer::Read(&self.0[..*out]));
    }

    fn output_for(len: usize) -> usize {
        len
    }
}

impl<C> SharedOperation<C> for ReadRefOp<'_>
where
    C: Connection,
    for<'a> &'a C: Read,
{
    #[inline]
    fn run_shared(&mut self, mut conn: &C) -> io::Result<usize> {
        conn.read(self.0)
    }
}

/// A write at the file position through a shared reference (`Write for &File`).
pub(crate) struct WriteRefOp<'b>(pub &'b [u8]);

impl<C> Operation<C> for WriteRefOp<'_>
where
    C: Connection,
    for<'a> &'a C: Write,
{
    type Output = usize;
    const KIND: OpKind = OpKind::Write;
    const MOVES_POSITION: bool = true;

    fn len(&self) -> usize {
        self.0.len()
    }

    fn run(&mut self, conn: &mut C) -> io::Result<usize> {
        let mut conn: &C = conn;
        conn.write(self.0)
    }

    #[inline]
    fn observe<H: Recoverable>(&self, out: &usize, handle: &mut H) {
        handle.on_transfer(Transfer::Written(&self.0[..*out]));
    }

    fn output_for(len: usize) -> usize {
        len
    }
}

impl<C> SharedOperation<C> for WriteRefOp<'_>
where
    C: Connection,
    for<'a> &'a C: Write,
{
    #[inline]
    fn run_shared(&mut self, mut conn: &C) -> io::Result<usize> {
        conn.write(self.0)
    }
}

/// Reads at the file position through `&Cover`, as `Read for &File` does:
/// threads that share one cover read the file in turns, each call taking
/// the next bytes, with no dup each.
///
/// What a cover shared this way guarantees, whatever the threads do at once:
/// - Every byte of the file is read once, by one of the calls: the kernel
///   moves the shared position as each call reads; a recovery reopens the
///   file at the position the dead description had reached (the kernel
///   keeps it, and a call that failed did not move it), puts the new
///   description under the cover's own descriptor number (`dup3`, as QNX's
///   `ha_reopen` does), and every call that failed on the dead one runs
///   again there, once.
/// - One recovery per death for all the threads; the others wait and run
///   again on its connection. A cover whose handle follows transfers
///   (`#[ha(offset)]`) runs these calls one at a time under its lock, so
///   that the handle sees them in the kernel's order and a recovery that
///   seeks back to it never reads it between a transfer and its
///   observation.
///
/// Files only (`C: FileConnection`): a socket shared by a reader and a
/// writer through `&self` would have to count the bytes one thread sends
/// against the answers the other reads in the order the kernel moved them,
/// which the ledger of unanswered bytes cannot do without a lock on both
/// paths; use a [dup](Cover::dup) per thread, or `&mut`. Seeking through
/// `&self` is not offered either: a seek succeeds on a dead description,
/// and one made while another thread's recovery reads where the dead
/// description stood would move a description nobody reads any more.
///
/// This assumes what the covers assume everywhere: an error in the trigger
/// set means the description is dead for good (`ENOTCONN` on FUSE, `ESTALE`
/// on NFS), so no call succeeds on it once its recovery has begun.
impl<C, H> Read for &Cover<C, H>
where
    C: FileConnection,
    H: Recoverable,
    for<'a> &'a C: Read,
{
    #[inline]
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.perform_ref(ReadRefOp(buf))
    }
}

/// Writes at the file position through `&Cover`, as `Write for &File` does:
/// threads that share one cover write it in turns.
///
/// What a cover shared this way guarantees, whatever the threads do at once
/// (and beside what `Read` for `&Cover` says of the position and of
/// recoveries):
/// - A write that failed is sent again only where a `&mut self` write
///   would be: when the recoveries since the call began each put the new
///   description at the position the dead one had (`reopen_seek`). A failed
///   write did not move the position, so the calls that failed go again at
///   the position the others left, past the one where they failed: the
///   file holds every write once, in the order they were made again, over
///   whatever the dead server had taken of them. When a recovery since did
///   not keep the position (a plain `reopen` puts it at 0), the call fails
///   with [`Indeterminate`](crate::Indeterminate) and nothing is sent.
/// - On a file opened `O_APPEND` the writes through `&self` go one at a
///   time (a lock held across each): a failed append is sent again only
///   after the file size shows it did not land, and one that did land
///   reports success, which can be told only when it was the one append
///   under way.
/// - `flush` is the connection's own (std's `File` buffers nothing).
impl<C, H> Write for &Cover<C, H>
where
    C: FileConnection,
    H: Recoverable,
    for<'a> &'a C: Write,
{
    #[inline]
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.perform_ref(WriteRefOp(buf))
    }

    fn flush(&mut self) -> io::Result<()> {
        let mut conn: &C = self.get_ref();
        conn.flush()
    }
}
