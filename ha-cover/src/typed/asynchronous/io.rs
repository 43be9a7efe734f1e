//! The I/O of an async typed cover: every method exists for every declaration,
//! and its where-clause asks the declaration's markers for the capability, so
//! a call the declaration does not allow is one error at the call, in words
//! about the declaration. tokio's traits are implemented under the same
//! conditions.
//!
//! Each method checks its bound and picks the function that polls the
//! operation; the [`AsyncOp`] it returns only calls that function.

use std::io::{self, SeekFrom};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, AsyncSeek, AsyncWrite, ReadBuf};

use super::super::capability::{HasPosition, Reads, Writes};
use super::capability::{AsyncPositioned, AsyncSeeks, AsyncSyncs};
use super::declaration::AsyncDeclaration;
use super::op::{AsyncCoverOf, AsyncOp};
use super::typed_cover::AsyncTypedCover;

/// Reads into `buf`, returning how many bytes came.
fn poll_read<D: AsyncDeclaration>(
    cover: &mut AsyncCoverOf<D>,
    cx: &mut Context<'_>,
    buf: &mut [u8],
) -> Poll<io::Result<usize>> {
    let mut buf = ReadBuf::new(buf);
    ready!(Pin::new(cover).poll_read(cx, &mut buf))?;
    Poll::Ready(Ok(buf.filled().len()))
}

/// Reads to the end, appending to `out`, whose bytes stay as they are until a
/// read returns some.
fn poll_read_to_end<D: AsyncDeclaration>(
    cover: &mut AsyncCoverOf<D>,
    cx: &mut Context<'_>,
    out: &mut Vec<u8>,
) -> Poll<io::Result<()>> {
    loop {
        let len = out.len();
        if out.capacity() - len < 4096 {
            out.reserve(8192);
        }
        out.resize(out.capacity(), 0);
        let read = poll_read::<D>(cover, cx, &mut out[len..]);
        let n = match &read {
            Poll::Ready(Ok(n)) => *n,
            _ => 0,
        };
        out.truncate(len + n);
        match read {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
            Poll::Ready(Ok(0)) => return Poll::Ready(Ok(())),
            Poll::Ready(Ok(_)) => {}
        }
    }
}

fn poll_write<D: AsyncDeclaration>(
    cover: &mut AsyncCoverOf<D>,
    cx: &mut Context<'_>,
    buf: &[u8],
) -> Poll<io::Result<usize>> {
    Pin::new(cover).poll_write(cx, buf)
}

/// Reading: declarations with `mode = read_only` or `mode = read_write`.
impl<D: AsyncDeclaration> AsyncTypedCover<D> {
    /// Reads some bytes, recovering first if the server died
    /// (`AsyncReadExt::read`).
    pub fn read<'a>(&'a mut self, buf: &'a mut [u8]) -> AsyncOp<'a, D, &'a mut [u8], usize>
    where
        D::Mode: Reads<D>,
    {
        AsyncOp::new(&mut self.cover, buf, |cover, buf, cx| {
            poll_read::<D>(cover, cx, buf)
        })
    }

    /// Reads exactly `buf.len()` bytes (`AsyncReadExt::read_exact`); an end of
    /// the data before is `UnexpectedEof`.
    pub fn read_exact<'a>(
        &'a mut self,
        buf: &'a mut [u8],
    ) -> AsyncOp<'a, D, (&'a mut [u8], usize), ()>
    where
        D::Mode: Reads<D>,
    {
        AsyncOp::new(&mut self.cover, (buf, 0), |cover, (buf, done), cx| {
            while *done < buf.len() {
                match ready!(poll_read::<D>(cover, cx, &mut buf[*done..]))? {
                    0 => return Poll::Ready(Err(io::ErrorKind::UnexpectedEof.into())),
                    n => *done += n,
                }
            }
            Poll::Ready(Ok(()))
        })
    }

    /// Reads to the end of the data, appending to `buf`, and returns how many
    /// bytes came (`AsyncReadExt::read_to_end`).
    pub fn read_to_end<'a>(
        &'a mut self,
        buf: &'a mut Vec<u8>,
    ) -> AsyncOp<'a, D, (&'a mut Vec<u8>, usize), usize>
    where
        D::Mode: Reads<D>,
    {
        let start = buf.len();
        AsyncOp::new(&mut self.cover, (buf, start), |cover, (buf, start), cx| {
            ready!(poll_read_to_end::<D>(cover, cx, buf))?;
            Poll::Ready(Ok(buf.len() - *start))
        })
    }

    /// Reads to the end of the data, appending it to `buf` if it is UTF-8
    /// (`AsyncReadExt::read_to_string`); otherwise `buf` is left as it was and
    /// the error is `InvalidData`.
    pub fn read_to_string<'a>(
        &'a mut self,
        buf: &'a mut String,
    ) -> AsyncOp<'a, D, (&'a mut String, Vec<u8>), usize>
    where
        D::Mode: Reads<D>,
    {
        AsyncOp::new(
            &mut self.cover,
            (buf, Vec::new()),
            |cover, (buf, bytes), cx| {
                ready!(poll_read_to_end::<D>(cover, cx, bytes))?;
                let text = std::str::from_utf8(bytes)
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
                buf.push_str(text);
                let n = bytes.len();
                bytes.clear();
                Poll::Ready(Ok(n))
            },
        )
    }
}

/// Writing: declarations with `mode = write_only`, `read_write` or `append`.
impl<D: AsyncDeclaration> AsyncTypedCover<D> {
    /// Writes some bytes, recovering first if the server died and sending them
    /// again only where the declaration makes that safe
    /// (`AsyncWriteExt::write`).
    pub fn write<'a>(&'a mut self, buf: &'a [u8]) -> AsyncOp<'a, D, &'a [u8], usize>
    where
        D::Mode: Writes<D>,
    {
        AsyncOp::new(&mut self.cover, buf, |cover, buf, cx| {
            poll_write::<D>(cover, cx, buf)
        })
    }

    /// Writes all of `buf` (`AsyncWriteExt::write_all`).
    pub fn write_all<'a>(&'a mut self, buf: &'a [u8]) -> AsyncOp<'a, D, &'a [u8], ()>
    where
        D::Mode: Writes<D>,
    {
        AsyncOp::new(&mut self.cover, buf, |cover, buf, cx| {
            while !buf.is_empty() {
                match ready!(poll_write::<D>(cover, cx, buf))? {
                    0 => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                    n => *buf = &buf[n..],
                }
            }
            Poll::Ready(Ok(()))
        })
    }

    /// Flushes what the connection buffers (`AsyncWriteExt::flush`).
    pub fn flush(&mut self) -> AsyncOp<'_, D, (), ()>
    where
        D::Mode: Writes<D>,
    {
        AsyncOp::new(&mut self.cover, (), |cover, (), cx| {
            Pin::new(cover).poll_flush(cx)
        })
    }

    /// Shuts the writing half down (`AsyncWriteExt::shutdown`).
    pub fn shutdown(&mut self) -> AsyncOp<'_, D, (), ()>
    where
        D::Mode: Writes<D>,
    {
        AsyncOp::new(&mut self.cover, (), |cover, (), cx| {
            Pin::new(cover).poll_shutdown(cx)
        })
    }
}

/// Starts the seek the first time, then waits for it.
fn poll_seek<D: AsyncDeclaration>(
    cover: &mut AsyncCoverOf<D>,
    cx: &mut Context<'_>,
    pos: &mut Option<SeekFrom>,
) -> Poll<io::Result<u64>>
where
    D::Kind: AsyncSeeks<D>,
{
    if let Some(pos) = pos.take() {
        D::Kind::start_seek(cover, pos)?;
    }
    D::Kind::poll_complete(cover, cx)
}

/// The position: files, in every mode but `append`.
impl<D: AsyncDeclaration> AsyncTypedCover<D> {
    /// Moves the position, recovering first if the server died
    /// (`AsyncSeekExt::seek`).
    pub fn seek(&mut self, pos: SeekFrom) -> AsyncOp<'_, D, Option<SeekFrom>, u64>
    where
        D::Kind: AsyncSeeks<D>,
        D::Mode: HasPosition<D>,
    {
        AsyncOp::new(&mut self.cover, Some(pos), |cover, pos, cx| {
            poll_seek::<D>(cover, cx, pos)
        })
    }

    /// Moves the position to the start (`AsyncSeekExt::rewind`).
    pub fn rewind(&mut self) -> AsyncOp<'_, D, Option<SeekFrom>, ()>
    where
        D::Kind: AsyncSeeks<D>,
        D::Mode: HasPosition<D>,
    {
        AsyncOp::new(
            &mut self.cover,
            Some(SeekFrom::Start(0)),
            |cover, pos, cx| poll_seek::<D>(cover, cx, pos).map_ok(drop),
        )
    }

    /// The position (`AsyncSeekExt::stream_position`).
    pub fn stream_position(&mut self) -> AsyncOp<'_, D, Option<SeekFrom>, u64>
    where
        D::Kind: AsyncSeeks<D>,
        D::Mode: HasPosition<D>,
    {
        self.seek(SeekFrom::Current(0))
    }

    /// Reads at `offset` without moving the position (`pread`).
    pub fn read_at<'a>(
        &'a mut self,
        buf: &'a mut [u8],
        offset: u64,
    ) -> AsyncOp<'a, D, (&'a mut [u8], u64), usize>
    where
        D::Kind: AsyncPositioned<D>,
        D::Mode: Reads<D>,
    {
        AsyncOp::new(
            &mut self.cover,
            (buf, offset),
            |cover, (buf, offset), cx| D::Kind::poll_read_at(cover, cx, buf, *offset),
        )
    }

    /// Reads exactly `buf.len()` bytes at `offset`.
    pub fn read_exact_at<'a>(
        &'a mut self,
        buf: &'a mut [u8],
        offset: u64,
    ) -> AsyncOp<'a, D, (&'a mut [u8], u64, usize), ()>
    where
        D::Kind: AsyncPositioned<D>,
        D::Mode: Reads<D>,
    {
        AsyncOp::new(
            &mut self.cover,
            (buf, offset, 0),
            |cover, (buf, offset, done), cx| {
                while *done < buf.len() {
                    let at = *offset + *done as u64;
                    match ready!(D::Kind::poll_read_at(cover, cx, &mut buf[*done..], at))? {
                        0 => return Poll::Ready(Err(io::ErrorKind::UnexpectedEof.into())),
                        n => *done += n,
                    }
                }
                Poll::Ready(Ok(()))
            },
        )
    }

    /// Writes at `offset` without moving the position (`pwrite`). Sent again
    /// after a recovery: the same bytes at the same offset are idempotent.
    pub fn write_at<'a>(
        &'a mut self,
        buf: &'a [u8],
        offset: u64,
    ) -> AsyncOp<'a, D, (&'a [u8], u64), usize>
    where
        D::Kind: AsyncPositioned<D>,
        D::Mode: Writes<D> + HasPosition<D>,
    {
        AsyncOp::new(
            &mut self.cover,
            (buf, offset),
            |cover, (buf, offset), cx| D::Kind::poll_write_at(cover, cx, buf, *offset),
        )
    }

    /// Writes all of `buf` at `offset`.
    pub fn write_all_at<'a>(
        &'a mut self,
        buf: &'a [u8],
        offset: u64,
    ) -> AsyncOp<'a, D, (&'a [u8], u64), ()>
    where
        D::Kind: AsyncPositioned<D>,
        D::Mode: Writes<D> + HasPosition<D>,
    {
        AsyncOp::new(
            &mut self.cover,
            (buf, offset),
            |cover, (buf, offset), cx| {
                while !buf.is_empty() {
                    match ready!(D::Kind::poll_write_at(cover, cx, buf, *offset))? {
                        0 => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                        n => {
                            *buf = &buf[n..];
                            *offset += n as u64;
                        }
                    }
                }
                Poll::Ready(Ok(()))
            },
        )
    }
}

/// Storage: files.
impl<D: AsyncDeclaration> AsyncTypedCover<D> {
    /// Flushes data and metadata to the device (`fsync`), recovering first if
    /// the server died.
    pub fn sync_all(&mut self) -> AsyncOp<'_, D, (), ()>
    where
        D::Kind: AsyncSyncs<D>,
    {
        AsyncOp::new(&mut self.cover, (), |cover, (), cx| {
            D::Kind::poll_sync(cover, cx, false)
        })
    }

    /// Flushes data to the device (`fdatasync`), recovering first if the
    /// server died.
    pub fn sync_data(&mut self) -> AsyncOp<'_, D, (), ()>
    where
        D::Kind: AsyncSyncs<D>,
    {
        AsyncOp::new(&mut self.cover, (), |cover, (), cx| {
            D::Kind::poll_sync(cover, cx, true)
        })
    }
}

/// Readable declarations.
impl<D: AsyncDeclaration> AsyncRead for AsyncTypedCover<D>
where
    D::Mode: Reads<D>,
{
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().cover).poll_read(cx, buf)
    }
}

/// Writable declarations.
impl<D: AsyncDeclaration> AsyncWrite for AsyncTypedCover<D>
where
    D::Mode: Writes<D>,
{
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().cover).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().cover).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().cover).poll_shutdown(cx)
    }
}

/// Files that keep a position.
impl<D: AsyncDeclaration> AsyncSeek for AsyncTypedCover<D>
where
    D::Kind: AsyncSeeks<D>,
    D::Mode: HasPosition<D>,
{
    fn start_seek(self: Pin<&mut Self>, position: SeekFrom) -> io::Result<()> {
        D::Kind::start_seek(&mut self.get_mut().cover, position)
    }

    fn poll_complete(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        D::Kind::poll_complete(&mut self.get_mut().cover, cx)
    }
}
