//! What a declaration allows, as traits of its [kind](super::kind) and
//! [mode](super::mode) markers.
//!
//! [`TypedCover`](super::TypedCover)'s methods ask for them in where-clauses, so
//! a call the declaration does not allow fails where it is written, with the
//! message below instead of "trait bound not satisfied". Each trait is generic
//! over the declaration `D` so the message can name it.
//!
//! The traits of kinds also carry the operation, implemented for `file` where
//! the connection type has it: a socket's missing `Seek` is then not a second
//! error beside "`Feed` is declared a socket", and a file connection type of the
//! user's that lacks `Seek` is reported as exactly that.

use std::io::{self, Seek, SeekFrom};
use std::os::unix::fs::FileExt;

use crate::connection::SyncConnection;
use crate::cover::Cover;

use super::declaration::Declaration;
use super::kind::file;
use super::mode::{append, read_only, read_write, write_only};

/// The cover of a declaration.
type CoverOf<D> = Cover<<D as Declaration>::Connection, <D as Declaration>::Handle>;

/// Modes that read: `read_only`, `read_write`.
#[diagnostic::on_unimplemented(
    message = "`{D}` is declared `mode = {Self}`, so it cannot read",
    label = "`{D}` has no read access",
    note = "reading needs `mode = read_only` or `mode = read_write` in `{D}`'s `#[ha_connection(...)]`"
)]
pub trait Reads<D> {}

/// Modes that write: `write_only`, `read_write`, `append`.
#[diagnostic::on_unimplemented(
    message = "`{D}` is declared `mode = {Self}`, so it cannot write",
    label = "`{D}` has no write access",
    note = "writing needs `mode = write_only`, `mode = read_write` or `mode = append` in `{D}`'s `#[ha_connection(...)]`"
)]
pub trait Writes<D> {}

/// Modes that keep a position: every mode but `append`.
#[diagnostic::on_unimplemented(
    message = "`{D}` is declared `mode = {Self}`: every write goes to the end of the file, so it has no position to seek to or write at",
    label = "`{D}` only appends",
    note = "to seek or write at an offset, declare `mode = write_only` or `mode = read_write`"
)]
pub trait HasPosition<D> {}

/// Kinds with a position to move: `file`.
#[diagnostic::on_unimplemented(
    message = "`{D}` is declared a socket: a stream has no position, so it cannot seek",
    label = "`{D}` is a socket",
    note = "`seek`, `rewind` and `stream_position` are for files, declared `#[ha_connection(file, ...)]`"
)]
pub trait Seeks<D: Declaration> {
    /// Moves the position.
    #[doc(hidden)]
    fn seek(cover: &mut CoverOf<D>, pos: SeekFrom) -> io::Result<u64>;
}

/// Kinds with offsets to read and write at: `file`.
#[diagnostic::on_unimplemented(
    message = "`{D}` is declared a socket: a stream has no offsets, so it cannot read or write at one",
    label = "`{D}` is a socket",
    note = "`read_at` and `write_at` are for files, declared `#[ha_connection(file, ...)]`"
)]
pub trait Positioned<D: Declaration> {
    /// `pread`.
    #[doc(hidden)]
    fn read_at(cover: &CoverOf<D>, buf: &mut [u8], offset: u64) -> io::Result<usize>;
    /// `pwrite`.
    #[doc(hidden)]
    fn write_at(cover: &CoverOf<D>, buf: &[u8], offset: u64) -> io::Result<usize>;
}

/// Kinds with storage to flush: `file`.
#[diagnostic::on_unimplemented(
    message = "`{D}` is declared a socket: it has no storage to flush, so it cannot `sync_all` or `sync_data`",
    label = "`{D}` is a socket",
    note = "`flush` sends what a socket buffers; `sync_all` and `sync_data` are for files"
)]
pub trait Syncs<D: Declaration> {
    /// `fsync` (`data_only`: `fdatasync`).
    #[doc(hidden)]
    fn sync(cover: &mut CoverOf<D>, data_only: bool) -> io::Result<()>;
}

impl<D> Reads<D> for read_only {}
impl<D> Reads<D> for read_write {}

impl<D> Writes<D> for write_only {}
impl<D> Writes<D> for read_write {}
impl<D> Writes<D> for append {}

impl<D> HasPosition<D> for read_only {}
impl<D> HasPosition<D> for write_only {}
impl<D> HasPosition<D> for read_write {}

impl<D: Declaration> Seeks<D> for file
where
    D::Connection: Seek,
{
    #[inline]
    fn seek(cover: &mut CoverOf<D>, pos: SeekFrom) -> io::Result<u64> {
        cover.seek(pos)
    }
}

impl<D: Declaration> Positioned<D> for file
where
    D::Connection: FileExt,
{
    #[inline]
    fn read_at(cover: &CoverOf<D>, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        cover.read_at(buf, offset)
    }

    #[inline]
    fn write_at(cover: &CoverOf<D>, buf: &[u8], offset: u64) -> io::Result<usize> {
        cover.write_at(buf, offset)
    }
}

impl<D: Declaration> Syncs<D> for file
where
    D::Connection: SyncConnection,
{
    fn sync(cover: &mut CoverOf<D>, data_only: bool) -> io::Result<()> {
        if data_only {
            cover.sync_data()
        } else {
            cover.sync_all()
        }
    }
}
