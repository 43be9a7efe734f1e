//! An async file for covers: each read, write and seek is one system call on
//! tokio's blocking pool, and its result is the caller's.
//!
//! tokio's own `File` buffers: a write returns as soon as the bytes are copied,
//! and an error comes back on a later call; a read fetches ahead. A cover could
//! not tell which bytes a failure concerned. This file writes through and reads
//! only what is asked, so a failure is the failure of the call that returns it.

use std::future::Future;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use tokio::io::ReadBuf;
use tokio::task::JoinHandle;

use super::connection::{AsyncConnection, AsyncFileConnection, AsyncFileOps, AsyncSeekConnection};
use crate::connection::{Connection, FileConnection, Kind};
use crate::origin::Origin;

/// The most one read or write moves at once, as tokio's own file.
const MAX_CHUNK: usize = 2 * 1024 * 1024;

/// An async file whose every operation is a single system call (see the
/// [module docs](crate::asynchronous)). Made by [`File::open`], [`File::from_std`], or from a
/// tokio file with [`File::from_tokio`].
#[derive(Debug)]
pub struct File {
    std: Arc<std::fs::File>,
    op: Op,
    /// Bytes a read fetched for a caller that gave up waiting for them: the
    /// next read gets them, so none is lost.
    leftover: Vec<u8>,
    leftover_at: usize,
    spare: Vec<u8>,
    /// Which write the operation in flight is, by its buffer: a write polled
    /// again with the same buffer, holding the same bytes, gets its result.
    write_in_flight: Option<(usize, usize)>,
    /// A positioned read or write, or a sync, in flight, and which call it is.
    side: Option<(SideCall, JoinHandle<SideDone>)>,
}

/// A call that does not move the position, identified by its arguments so that
/// a caller polling again gets its own result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SideCall {
    ReadAt {
        len: usize,
        offset: u64,
    },
    WriteAt {
        ptr: usize,
        len: usize,
        offset: u64,
    },
    Sync {
        data_only: bool,
    },
    /// A sync no caller may take (see `poll_write`).
    Superseded,
}

#[derive(Debug)]
enum SideDone {
    Read(io::Result<usize>, Vec<u8>),
    /// The bytes written come back, to tell the write's own caller from a
    /// new write made from the same buffer.
    Write(io::Result<usize>, Vec<u8>),
    Sync(io::Result<()>),
}

#[derive(Debug)]
enum Op {
    Idle,
    Busy(JoinHandle<Done>),
}

#[derive(Debug)]
enum Done {
    Read(io::Result<usize>, Vec<u8>),
    Write(io::Result<usize>, Vec<u8>),
    Seek(io::Result<u64>),
}

fn joined<T>(result: Result<T, tokio::task::JoinError>) -> io::Result<T> {
    result.map_err(|e| io::Error::other(format!("a blocking file operation did not finish: {e}")))
}

impl File {
    /// Wraps an open std file.
    pub fn from_std(file: std::fs::File) -> Self {
        Self {
            std: Arc::new(file),
            op: Op::Idle,
            leftover: Vec::new(),
            leftover_at: 0,
            spare: Vec::new(),
            write_in_flight: None,
            side: None,
        }
    }

    /// Takes the std file out of a tokio file, after any operation it has in
    /// flight (and any write it buffered) has completed.
    pub async fn from_tokio(file: tokio::fs::File) -> io::Result<Self> {
        let mut file = file;
        std::future::poll_fn(|cx| tokio::io::AsyncWrite::poll_flush(Pin::new(&mut file), cx))
            .await?;
        Ok(Self::from_std(file.into_std().await))
    }

    /// Opens a file read-only.
    pub async fn open(path: impl AsRef<Path>) -> io::Result<Self> {
        let path = path.as_ref().to_owned();
        let std = joined(tokio::task::spawn_blocking(move || std::fs::File::open(path)).await)??;
        Ok(Self::from_std(std))
    }

    /// Opens a file with `options`.
    pub async fn open_with(
        path: impl AsRef<Path>,
        options: &std::fs::OpenOptions,
    ) -> io::Result<Self> {
        let (path, options) = (path.as_ref().to_owned(), options.clone());
        let std = joined(tokio::task::spawn_blocking(move || options.open(path)).await)??;
        Ok(Self::from_std(std))
    }

    /// The std file.
    pub fn std(&self) -> &std::fs::File {
        &self.std
    }

    /// Runs a call that leaves the position alone on the blocking pool,
    /// across polls.
    fn poll_side(
        &mut self,
        cx: &mut Context<'_>,
        call: SideCall,
        data: &[u8],
    ) -> Poll<io::Result<SideDone>> {
        loop {
            if let Some((running, task)) = &mut self.side {
                let done = ready!(Pin::new(task).poll(cx));
                // A new write from the buffer of one whose caller gave up
                // (refilled for the next record) is not that write.
                let mine = *running == call
                    && match &done {
                        Ok(SideDone::Write(_, sent)) => data.starts_with(sent),
                        _ => true,
                    };
                self.side = None;
                if mine {
                    return Poll::Ready(joined(done));
                }
                // The result of a call its caller gave up on: it happened.
                continue;
            }
            let std = Arc::clone(&self.std);
            let task = match call {
                SideCall::ReadAt { len, offset } => tokio::task::spawn_blocking(move || {
                    let mut data = vec![0; len.min(MAX_CHUNK)];
                    let result = std.read_at(&mut data, offset);
                    SideDone::Read(result, data)
                }),
                SideCall::WriteAt { offset, .. } => {
                    let data = data[..data.len().min(MAX_CHUNK)].to_vec();
                    tokio::task::spawn_blocking(move || {
                        SideDone::Write(std.write_at(&data, offset), data)
                    })
                }
                SideCall::Superseded => unreachable!("no caller asks for a superseded sync"),
                SideCall::Sync { data_only } => tokio::task::spawn_blocking(move || {
                    SideDone::Sync(if data_only {
                        std.sync_data()
                    } else {
                        std.sync_all()
                    })
                }),
            };
            self.side = Some((call, task));
        }
    }

    fn start(&mut self, work: impl FnOnce(&std::fs::File, Vec<u8>) -> Done + Send + 'static) {
        let (std, spare) = (Arc::clone(&self.std), std::mem::take(&mut self.spare));
        self.op = Op::Busy(tokio::task::spawn_blocking(move || work(&std, spare)));
    }

    /// Waits for the operation in flight; what it returns is the caller's to use.
    fn poll_busy(&mut self, cx: &mut Context<'_>) -> Poll<Option<io::Result<Done>>> {
        let Op::Busy(task) = &mut self.op else {
            return Poll::Ready(None);
        };
        let done = ready!(Pin::new(task).poll(cx));
        self.op = Op::Idle;
        Poll::Ready(Some(joined(done)))
    }

    /// Keeps what an abandoned operation left: a read's bytes for the next read.
    fn settle(&mut self, done: Done) {
        match done {
            Done::Read(Ok(n), mut data) => {
                data.truncate(n);
                self.leftover = data;
                self.leftover_at = 0;
            }
            Done::Read(Err(_), data) | Done::Write(_, data) => self.spare = data,
            Done::Seek(_) => {}
        }
        self.write_in_flight = None;
    }

    /// Drops the bytes fetched ahead and not yet read, and says how many.
    fn forget_leftover(&mut self) -> i64 {
        let unread = self.leftover.len().saturating_sub(self.leftover_at);
        self.leftover.clear();
        self.leftover_at = 0;
        unread as i64
    }

    /// Gives the position back the bytes fetched ahead for an abandoned read
    /// before a write, which goes where the caller's reads have got to (as
    /// tokio's file does). `SEEK_CUR` does not ask the file's server. A file
    /// that cannot seek (a pipe, a terminal) reads and writes apart, and
    /// keeps them for the next read.
    fn rewind_leftover(&mut self) -> io::Result<()> {
        let unread = self.leftover.len().saturating_sub(self.leftover_at);
        if unread == 0 {
            return Ok(());
        }
        match (&*self.std).seek(SeekFrom::Current(-(unread as i64))) {
            Ok(_) => {
                self.forget_leftover();
                Ok(())
            }
            Err(e) if e.raw_os_error() == Some(libc::ESPIPE) => Ok(()),
            Err(e) => Err(e),
        }
    }

    fn take_leftover(&mut self, buf: &mut ReadBuf<'_>) -> bool {
        if self.leftover_at >= self.leftover.len() {
            return false;
        }
        let n = buf.remaining().min(self.leftover.len() - self.leftover_at);
        buf.put_slice(&self.leftover[self.leftover_at..self.leftover_at + n]);
        self.leftover_at += n;
        true
    }
}

impl AsyncConnection for File {
    const KIND: Kind = Kind::File;

    fn try_dup(&self) -> io::Result<Self> {
        Ok(Self::from_std(self.std.try_clone()?))
    }

    fn descriptor(&self) -> Option<BorrowedFd<'_>> {
        Some(self.std.as_fd())
    }

    fn origin(&self) -> Origin {
        Origin::of_descriptor(self.std.as_fd(), None)
    }

    /// A read whose caller gave up took its bytes from the shared position
    /// before the server died, and the recovery put the new connection after
    /// them (where the dead one was): they are still this member's next
    /// read's. A read still under way there is abandoned with the dead
    /// connection.
    fn carry_over(&mut self, old: &mut Self) {
        let mut unread = std::mem::take(&mut old.leftover);
        unread.drain(..old.leftover_at.min(unread.len()));
        if let Op::Busy(mut task) = std::mem::replace(&mut old.op, Op::Idle)
            && task.is_finished()
        {
            let mut cx = Context::from_waker(std::task::Waker::noop());
            if let Poll::Ready(Ok(Done::Read(Ok(n), data))) = Pin::new(&mut task).poll(&mut cx) {
                unread.extend_from_slice(&data[..n]);
            }
        }
        if !unread.is_empty() {
            self.leftover = unread;
            self.leftover_at = 0;
        }
    }

    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        loop {
            if buf.remaining() == 0 || self.take_leftover(buf) {
                return Poll::Ready(Ok(()));
            }
            match ready!(self.poll_busy(cx)) {
                Some(Ok(Done::Read(result, mut data))) => {
                    let n = match result {
                        Ok(n) => n,
                        Err(e) => {
                            self.spare = data;
                            return Poll::Ready(Err(e));
                        }
                    };
                    data.truncate(n);
                    let take = n.min(buf.remaining());
                    buf.put_slice(&data[..take]);
                    self.leftover = data;
                    self.leftover_at = take;
                    return Poll::Ready(Ok(()));
                }
                Some(Ok(other)) => self.settle(other),
                Some(Err(e)) => return Poll::Ready(Err(e)),
                None => {
                    let len = buf.remaining().min(MAX_CHUNK);
                    self.start(move |file, mut data| {
                        data.resize(len, 0);
                        let result = (&*file).read(&mut data);
                        Done::Read(result, data)
                    });
                }
            }
        }
    }

    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this_write = (buf.as_ptr() as usize, buf.len());
        loop {
            match ready!(self.poll_busy(cx)) {
                // A new write from a buffer refilled since its caller gave up
                // on the one in flight is not that write: its bytes decide.
                Some(Ok(Done::Write(result, data)))
                    if self.write_in_flight == Some(this_write) && buf.starts_with(&data) =>
                {
                    self.spare = data;
                    self.write_in_flight = None;
                    return Poll::Ready(result);
                }
                Some(Ok(other)) => self.settle(other),
                Some(Err(e)) => return Poll::Ready(Err(e)),
                None => {
                    if let Err(e) = self.rewind_leftover() {
                        return Poll::Ready(Err(e));
                    }
                    // A sync under way, whose caller gave up on it, does
                    // not cover this write: it is no later sync's.
                    if let Some((running @ SideCall::Sync { .. }, _)) = &mut self.side {
                        *running = SideCall::Superseded;
                    }
                    let mut data = std::mem::take(&mut self.spare);
                    data.clear();
                    data.extend_from_slice(&buf[..buf.len().min(MAX_CHUNK)]);
                    self.spare = data;
                    self.write_in_flight = Some(this_write);
                    self.start(|file, data| {
                        let result = (&*file).write(&data);
                        Done::Write(result, data)
                    });
                }
            }
        }
    }

    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        // Nothing is buffered; an abandoned operation in flight completes first.
        match ready!(self.poll_busy(cx)) {
            Some(Ok(done)) => self.settle(done),
            Some(Err(e)) => return Poll::Ready(Err(e)),
            None => {}
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncFileOps for File {
    fn poll_read_at(
        &mut self,
        cx: &mut Context<'_>,
        buf: &mut [u8],
        offset: u64,
    ) -> Poll<io::Result<usize>> {
        let call = SideCall::ReadAt {
            len: buf.len(),
            offset,
        };
        match ready!(self.poll_side(cx, call, &[]))? {
            SideDone::Read(result, data) => {
                let n = result?;
                buf[..n].copy_from_slice(&data[..n]);
                Poll::Ready(Ok(n))
            }
            _ => unreachable!("a read's own result"),
        }
    }

    fn poll_write_at(
        &mut self,
        cx: &mut Context<'_>,
        buf: &[u8],
        offset: u64,
    ) -> Poll<io::Result<usize>> {
        let call = SideCall::WriteAt {
            ptr: buf.as_ptr() as usize,
            len: buf.len(),
            offset,
        };
        match ready!(self.poll_side(cx, call, buf))? {
            SideDone::Write(result, _) => Poll::Ready(result),
            _ => unreachable!("a write's own result"),
        }
    }

    fn poll_sync(&mut self, cx: &mut Context<'_>, data_only: bool) -> Poll<io::Result<()>> {
        match ready!(self.poll_side(cx, SideCall::Sync { data_only }, &[]))? {
            SideDone::Sync(result) => Poll::Ready(result),
            _ => unreachable!("a sync's own result"),
        }
    }
}

impl AsyncSeekConnection for File {
    fn poll_seek(&mut self, cx: &mut Context<'_>, pos: SeekFrom) -> Poll<io::Result<u64>> {
        loop {
            match ready!(self.poll_busy(cx)) {
                Some(Ok(Done::Seek(result))) => return Poll::Ready(result),
                Some(Ok(other)) => self.settle(other),
                Some(Err(e)) => return Poll::Ready(Err(e)),
                None => {
                    // Bytes fetched ahead for an abandoned read are not read
                    // yet: the position the caller sees is before them, and a
                    // seek from it counts from there (as tokio's file does).
                    let unread = self.forget_leftover();
                    let pos = match pos {
                        SeekFrom::Current(by) => SeekFrom::Current(by.saturating_sub(unread)),
                        other => other,
                    };
                    self.start(move |file, spare| {
                        let _ = spare;
                        Done::Seek((&*file).seek(pos))
                    });
                }
            }
        }
    }
}

impl AsyncFileConnection for File {
    async fn reopen(_dead: &Self, path: &Path, flags: libc::c_int) -> io::Result<Self> {
        let path = path.to_owned();
        let std = joined(
            tokio::task::spawn_blocking(move || crate::connection::open_flags(&path, flags)).await,
        )??;
        Ok(Self::from_std(std))
    }
}

/// The blocking view, for recovery strategies written for std connections
/// (`#[derive(Recoverable)]`), which the async cover runs on the blocking pool.
impl Connection for File {
    const KIND: Kind = Kind::File;

    fn try_dup(&self) -> io::Result<Self> {
        AsyncConnection::try_dup(self)
    }

    fn descriptor(&self) -> Option<BorrowedFd<'_>> {
        Some(self.std.as_fd())
    }

    fn origin(&self) -> Origin {
        AsyncConnection::origin(self)
    }
}

impl FileConnection for File {
    fn reopen(_dead: &Self, path: &Path, flags: libc::c_int) -> io::Result<Self> {
        crate::connection::open_flags(path, flags).map(Self::from_std)
    }
}

/// Blocking seek, for recovery strategies run on the blocking pool. A file a
/// recovery has just opened has nothing in flight.
impl Seek for File {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.leftover.clear();
        self.leftover_at = 0;
        (&*self.std).seek(pos)
    }
}

impl crate::ReopenTarget for File {}
impl crate::ReopenSeekTarget for File {}

impl AsFd for File {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.std.as_fd()
    }
}

impl AsRawFd for File {
    fn as_raw_fd(&self) -> RawFd {
        self.std.as_raw_fd()
    }
}
