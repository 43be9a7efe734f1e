//! The I/O of a typed cover: every method exists for every declaration, and its
//! where-clause asks the declaration's markers for the capability, so a call the
//! declaration does not allow is an error at the call, in words about the
//! declaration.
//!
//! They forward to [`Cover`](crate::Cover)'s std impls. The bounds on the
//! connection type (`Read`, `WriteConnection`) hold for std's connections and
//! only matter for connection types of the user's own; the kinds' capabilities
//! carry their own (see `capability.rs`).

use std::fmt;
use std::io::{self, IoSlice, IoSliceMut, Read, SeekFrom, Write};

use crate::connection::WriteConnection;

use super::capability::{HasPosition, Positioned, Reads, Seeks, Syncs, Writes};
use super::declaration::Declaration;
use super::typed_cover::TypedCover;

/// Reading: declarations with `mode = read_only` or `mode = read_write`.
impl<D: Declaration> TypedCover<D> {
    /// Reads some bytes, recovering first if the server died: [`Read::read`].
    #[inline]
    pub fn read(&mut self, buf: &mut [u8]) -> io::Result<usize>
    where
        D::Mode: Reads<D>,
        D::Connection: Read,
    {
        self.cover.read(buf)
    }

    /// [`Read::read_vectored`].
    #[inline]
    pub fn read_vectored(&mut self, bufs: &mut [IoSliceMut<'_>]) -> io::Result<usize>
    where
        D::Mode: Reads<D>,
        D::Connection: Read,
    {
        self.cover.read_vectored(bufs)
    }

    /// [`Read::read_exact`].
    pub fn read_exact(&mut self, buf: &mut [u8]) -> io::Result<()>
    where
        D::Mode: Reads<D>,
        D::Connection: Read,
    {
        self.cover.read_exact(buf)
    }

    /// [`Read::read_to_end`].
    pub fn read_to_end(&mut self, buf: &mut Vec<u8>) -> io::Result<usize>
    where
        D::Mode: Reads<D>,
        D::Connection: Read,
    {
        self.cover.read_to_end(buf)
    }

    /// [`Read::read_to_string`].
    pub fn read_to_string(&mut self, buf: &mut String) -> io::Result<usize>
    where
        D::Mode: Reads<D>,
        D::Connection: Read,
    {
        self.cover.read_to_string(buf)
    }
}

/// Writing: declarations with `mode = write_only`, `read_write` or `append`.
impl<D: Declaration> TypedCover<D> {
    /// Writes some bytes, recovering first if the server died, and sending them
    /// again only where the declaration makes that safe: [`Write::write`].
    #[inline]
    pub fn write(&mut self, buf: &[u8]) -> io::Result<usize>
    where
        D::Mode: Writes<D>,
        D::Connection: WriteConnection,
    {
        self.cover.write(buf)
    }

    /// [`Write::write_vectored`].
    #[inline]
    pub fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize>
    where
        D::Mode: Writes<D>,
        D::Connection: WriteConnection,
    {
        self.cover.write_vectored(bufs)
    }

    /// [`Write::write_all`].
    pub fn write_all(&mut self, buf: &[u8]) -> io::Result<()>
    where
        D::Mode: Writes<D>,
        D::Connection: WriteConnection,
    {
        self.cover.write_all(buf)
    }

    /// [`Write::write_fmt`], what `write!` calls.
    pub fn write_fmt(&mut self, args: fmt::Arguments<'_>) -> io::Result<()>
    where
        D::Mode: Writes<D>,
        D::Connection: WriteConnection,
    {
        self.cover.write_fmt(args)
    }

    /// [`Write::flush`].
    pub fn flush(&mut self) -> io::Result<()>
    where
        D::Mode: Writes<D>,
        D::Connection: WriteConnection,
    {
        self.cover.flush()
    }
}

/// The position: files, in every mode but `append`.
impl<D: Declaration> TypedCover<D> {
    /// Moves the position, recovering first if the server died: [`Seek::seek`](std::io::Seek::seek).
    #[inline]
    pub fn seek(&mut self, pos: SeekFrom) -> io::Result<u64>
    where
        D::Kind: Seeks<D>,
        D::Mode: HasPosition<D>,
    {
        D::Kind::seek(&mut self.cover, pos)
    }

    /// Moves the position to the start: [`Seek::rewind`](std::io::Seek::rewind).
    pub fn rewind(&mut self) -> io::Result<()>
    where
        D::Kind: Seeks<D>,
        D::Mode: HasPosition<D>,
    {
        D::Kind::seek(&mut self.cover, SeekFrom::Start(0)).map(drop)
    }

    /// The position: [`Seek::stream_position`](std::io::Seek::stream_position).
    pub fn stream_position(&mut self) -> io::Result<u64>
    where
        D::Kind: Seeks<D>,
        D::Mode: HasPosition<D>,
    {
        D::Kind::seek(&mut self.cover, SeekFrom::Current(0))
    }

    /// Reads at `offset` without moving the position (`pread`), through
    /// `&self`: see [`Cover::read_at`](crate::Cover::read_at).
    #[inline]
    pub fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize>
    where
        D::Kind: Positioned<D>,
        D::Mode: Reads<D>,
    {
        D::Kind::read_at(&self.cover, buf, offset)
    }

    /// Reads exactly `buf.len()` bytes at `offset`.
    pub fn read_exact_at(&self, mut buf: &mut [u8], mut offset: u64) -> io::Result<()>
    where
        D::Kind: Positioned<D>,
        D::Mode: Reads<D>,
    {
        while !buf.is_empty() {
            match D::Kind::read_at(&self.cover, buf, offset)? {
                0 => return Err(io::ErrorKind::UnexpectedEof.into()),
                n => {
                    buf = &mut buf[n..];
                    offset += n as u64;
                }
            }
        }
        Ok(())
    }

    /// Writes at `offset` without moving the position (`pwrite`). Sent again
    /// after a recovery: the same bytes at the same offset are idempotent.
    #[inline]
    pub fn write_at(&self, buf: &[u8], offset: u64) -> io::Result<usize>
    where
        D::Kind: Positioned<D>,
        D::Mode: Writes<D> + HasPosition<D>,
    {
        D::Kind::write_at(&self.cover, buf, offset)
    }

    /// Writes all of `buf` at `offset`.
    pub fn write_all_at(&self, mut buf: &[u8], mut offset: u64) -> io::Result<()>
    where
        D::Kind: Positioned<D>,
        D::Mode: Writes<D> + HasPosition<D>,
    {
        while !buf.is_empty() {
            match D::Kind::write_at(&self.cover, buf, offset)? {
                0 => return Err(io::ErrorKind::WriteZero.into()),
                n => {
                    buf = &buf[n..];
                    offset += n as u64;
                }
            }
        }
        Ok(())
    }
}

/// Storage: files.
impl<D: Declaration> TypedCover<D> {
    /// Flushes data and metadata to the device (`fsync`), recovering first if
    /// the server died.
    pub fn sync_all(&mut self) -> io::Result<()>
    where
        D::Kind: Syncs<D>,
    {
        D::Kind::sync(&mut self.cover, false)
    }

    /// Flushes data to the device (`fdatasync`), recovering first if the server
    /// died.
    pub fn sync_data(&mut self) -> io::Result<()>
    where
        D::Kind: Syncs<D>,
    {
        D::Kind::sync(&mut self.cover, true)
    }
}
