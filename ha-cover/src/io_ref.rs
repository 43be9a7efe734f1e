//! `Read` and `Write` through `&Cover`, as std has them for `&File`,
//! `&UnixStream` and `&TcpStream`: threads that share one cover (in an
//! `Arc`) read or write it, a file at its one position, a socket's one
//! stream, with no dup each.
//!
//! The calls run on the mechanism of positioned calls through `&self`
//! (`positioned.rs`): a recovery puts the new open file description under
//! the cover's own descriptor number, and a call that failed on the one it
//! replaced is decided with what that recovery found.

use std::io::{self, Read, Write};

use ha_cover_engine::OpKind;

use crate::connection::{Connection, Kind, SharedConnection, WriteConnection};
use crate::cover::Cover;
use crate::handle::{Recoverable, Transfer};
use crate::ops::{Operation, Traffic, write_all};
use crate::positioned::SharedOperation;

/// A read through a shared reference (`Read for &File`).
pub(crate) struct ReadRefOp<'b>(pub &'b mut [u8]);

impl<C: SharedConnection> Operation<C> for ReadRefOp<'_> {
    type Output = usize;
    const KIND: OpKind = OpKind::Read;
    const MOVES_POSITION: bool = true;

    fn run(&mut self, conn: &mut C) -> io::Result<usize> {
        conn.read_shared(self.0)
    }

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

impl<C: SharedConnection> SharedOperation<C> for ReadRefOp<'_> {
    #[inline]
    fn run_shared(&mut self, conn: &C) -> io::Result<usize> {
        conn.read_shared(self.0)
    }
}

/// A write through a shared reference (`Write for &File`).
pub(crate) struct WriteRefOp<'b>(pub &'b [u8]);

impl<C: SharedConnection + WriteConnection> Operation<C> for WriteRefOp<'_> {
    type Output = usize;
    const KIND: OpKind = OpKind::Write;
    const MOVES_POSITION: bool = true;

    fn len(&self) -> usize {
        self.0.len()
    }

    fn run(&mut self, conn: &mut C) -> io::Result<usize> {
        conn.write_shared(self.0)
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

impl<C: SharedConnection + WriteConnection> SharedOperation<C> for WriteRefOp<'_> {
    #[inline]
    fn run_shared(&mut self, conn: &C) -> io::Result<usize> {
        conn.write_shared(self.0)
    }
}

/// Refuses, when the program is built, a socket cover shared through `&self`
/// whose handle follows transfers.
const fn socket_handle_ignores_transfers<C: Connection, H: Recoverable>() {
    assert!(
        !(matches!(C::KIND, Kind::Socket) && H::OBSERVES_TRANSFERS),
        "a socket cover whose handle follows transfers cannot be read or written through &Cover: a recovery could read the handle between a read and its observation, and resume the stream from before bytes already returned; use the cover through &mut, or a dup per thread"
    );
}

/// Reads through `&Cover`, as `Read for &File` and `Read for &UnixStream`
/// do: threads that share one cover (in an `Arc`) read it with no dup each,
/// a file at its one position, a socket's one stream.
///
/// ```
/// use std::io::{Read, Write};
/// use std::os::unix::net::UnixStream;
/// use std::sync::Arc;
/// use ha_cover::Cover;
///
/// # fn main() -> std::io::Result<()> {
/// let (ours, server) = UnixStream::pair()?;
/// std::thread::spawn(move || std::io::copy(&mut &server, &mut &server)); // an echo server
/// let cover = Arc::new(Cover::attach(ours, ha_cover::never, ())?);
/// // One thread writes the requests...
/// let writer = {
///     let cover = Arc::clone(&cover);
///     std::thread::spawn(move || (&*cover).write_all(b"PING\n"))
/// };
/// // ...while another reads the answers.
/// let mut answer = [0; 5];
/// (&*cover).read_exact(&mut answer)?;
/// assert_eq!(&answer, b"PING\n");
/// writer.join().unwrap()?;
/// # Ok(()) }
/// ```
///
/// What a cover shared this way guarantees, whatever the threads do at once:
/// - A file's bytes are each read once, by one of the calls: the kernel
///   moves the shared position as each call reads; a recovery reopens the
///   file at the position the dead description had reached (the kernel
///   keeps it, and a call that failed did not move it), puts the new
///   description under the cover's own descriptor number (`dup3`, as QNX's
///   `ha_reopen` does), and every call that failed on the dead one runs
///   again there, once.
/// - A socket read that met the death is decided as a `&mut self` read
///   would be, with what the recovery found: it waits for data on the new
///   connection when nothing sent was left unanswered (or it was replayed,
///   [`WritePolicy::Replay`](crate::WritePolicy::Replay)), and fails with
///   [`Indeterminate`](crate::Indeterminate) otherwise. A read that returns
///   data answers what was sent when it returned, as for `&mut self` reads:
///   the covers' model of a request and its answer, one at a time, which
///   threads keep by sending the next request once the answer is read
///   (a protocol that sends requests ahead of their answers is outside it,
///   through `&self` as through `&mut self`). A read answers nothing if a
///   recovery began since it started: its data may come from the
///   connection being replaced.
/// - One recovery per death for all the threads; the others wait and run
///   again on its connection. A file cover whose handle follows transfers
///   (`#[ha(offset)]`) runs these calls one at a time under its lock, so
///   that the handle sees them in the kernel's order and a recovery that
///   seeks back to it never reads it between a transfer and its
///   observation.
///
/// A socket cover whose handle follows transfers (a stream that resumes
/// from the count of bytes received) is refused when the program is built:
/// a read may not hold the lock while it waits for data, so a recovery could
/// resume from before bytes a read has already returned:
///
/// ```compile_fail
/// use std::io::Read;
/// use std::os::unix::net::UnixStream;
/// use ha_cover::{Cover, Recoverable, Transfer};
///
/// #[derive(Default)]
/// struct Received(u64);
///
/// impl Recoverable for Received {
///     fn on_transfer(&mut self, transfer: Transfer<'_>) {
///         if let Transfer::Read(bytes) = transfer {
///             self.0 += bytes.len() as u64;
///         }
///     }
/// }
///
/// fn read_shared(cover: &Cover<UnixStream, Received>) -> std::io::Result<usize> {
///     // error: a socket cover whose handle follows transfers cannot be read
///     // or written through &Cover
///     (&*cover).read(&mut [0; 64])
/// }
/// # let (ours, _theirs) = UnixStream::pair().unwrap();
/// # let cover = Cover::attach(ours, ha_cover::never, Received::default()).unwrap();
/// # let _ = read_shared(&cover);
/// ```
///
/// Seeking through
/// `&self` is not offered: a seek succeeds on a dead description, and one
/// made while another thread's recovery reads where the dead description
/// stood would move a description nobody reads any more.
///
/// This assumes what the covers assume everywhere: an error in the trigger
/// set means the connection is dead for good (`ENOTCONN` on FUSE, `ESTALE`
/// on NFS, `EPIPE` and EOF on a socket), so no call succeeds on it once its
/// recovery has begun.
impl<C: SharedConnection, H: Recoverable> Read for &Cover<C, H> {
    #[inline]
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        const { socket_handle_ignores_transfers::<C, H>() };
        self.perform_ref(ReadRefOp(buf))
    }
}

/// Writes through `&Cover`, as `Write for &File` does: threads that share
/// one cover write it, a file at its one position, a socket's one stream.
///
/// What a cover shared this way guarantees, whatever the threads do at once
/// (and beside what `Read` for `&Cover` says of recoveries):
/// - A file write that failed is sent again only where a `&mut self` write
///   would be: when the recoveries since the call began each put the new
///   description at the position the dead one had (`reopen_seek`). A failed
///   write did not move the position, so the calls that failed go again at
///   the position the others left, past the one where they failed: the
///   file holds every write once, in the order they were made again, over
///   whatever the dead server had taken of them. When a recovery since did
///   not keep the position (a plain `reopen` puts it at 0), the call fails
///   with [`Indeterminate`](crate::Indeterminate) and nothing is sent.
/// - On a file opened `O_APPEND` the writes through `&self` go one at a
///   time (a lock held across each, the group's: the dups' appends take it
///   too): a failed append is sent again only after the file size shows it
///   did not land, and one that did land reports success, which can be told
///   only when it was the one append under way.
/// - On a socket the writes through `&self` go one at a time too (a lock
///   held across each `send` and its count in the ledger of unanswered
///   bytes, never across a wait for a recovery), and a recovery waits for
///   the one under way: the ledger then holds every byte sent on the dead
///   connection, in the order sent, and the [write
///   policy](crate::WritePolicy) decides as for `&mut self` writes: under
///   `Never` a write that failed is sent on the new connection only when
///   nothing sent was left unanswered, under `Replay` after the unanswered
///   bytes were sent again, under `Always` in any case; otherwise the call
///   fails with [`Indeterminate`](crate::Indeterminate). A call whose
///   connection was replaced by more than one recovery since it began has
///   no facts left, and is indeterminate.
/// - `flush` does nothing: a connection written through a shared
///   reference keeps nothing back in this process (std's files and sockets
///   do not).
///
/// What the threads' writes make together is theirs: std's `&File` and
/// `&UnixStream` interleave concurrent `write_all`s too. And as for `&mut
/// self` writes, the calls under way when the connection died are the ones
/// told: a write that begins after a recovery is a first delivery on the
/// new connection. A request a writer thread sends in several writes (a
/// `write_all` larger than the socket's buffer) while the reader thread
/// meets the death is cut, under `Never` and `Always`: the reader is told
/// its answer is indeterminate, and the rest of the request goes out alone
/// (`Replay` sends the first part again before it). Send a request in one
/// write, or hold a lock of your own across a request and the read of its
/// answer.
impl<C: SharedConnection + WriteConnection, H: Recoverable> Write for &Cover<C, H> {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        const { socket_handle_ignores_transfers::<C, H>() };
        self.perform_ref(WriteRefOp(buf))
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::os::unix::net::UnixStream;

    use super::WriteRefOp;
    use crate::{AttemptError, Backoff, Builder, Cover, Failure, is_indeterminate};

    /// A new connection to a peer that lives on (leaked: the test only
    /// looks at decisions).
    fn fresh_pair(_: &Failure<'_, UnixStream>, _: &mut ()) -> Result<UnixStream, AttemptError> {
        let (ours, theirs) = UnixStream::pair()?;
        std::mem::forget(theirs);
        Ok(ours)
    }

    /// A socket write that failed on a connection another thread's recovery
    /// has replaced since it began is decided with what that recovery found:
    /// a request was left unanswered, so under `Never` the write is not sent
    /// on the new connection after it.
    #[test]
    fn a_socket_write_that_failed_on_a_replaced_connection_is_decided_by_the_recovery() {
        let (ours, theirs) = UnixStream::pair().unwrap();
        let cover: Cover<UnixStream> = Builder::new()
            .backoff(Backoff::none())
            .attach(ours, fresh_pair, ())
            .unwrap();
        (&cover).write_all(b"lost\n").unwrap();
        drop(theirs);
        // The reader meets the death and recovers; the request is lost.
        let err = (&cover).read(&mut [0; 8]).unwrap_err();
        assert!(is_indeterminate(&err), "{err}");
        assert_eq!(cover.control().stats().recoveries, 1);
        // A write that began before that recovery and failed on the dead
        // connection.
        let epipe = Some(Err(std::io::Error::from_raw_os_error(libc::EPIPE)));
        let err = cover
            .perform_ref_slow(WriteRefOp(b"next\n"), epipe, 0)
            .unwrap_err();
        assert!(is_indeterminate(&err), "{err}");
        assert_eq!(cover.control().stats().indeterminate, 2);
    }
}
