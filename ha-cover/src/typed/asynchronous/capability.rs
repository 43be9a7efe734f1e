//! What an async declaration's kind allows, as traits of its
//! [kind](super::super::kind) markers, carrying the async operation: the
//! counterparts of [`Seeks`](crate::checks::Seeks),
//! [`Positioned`](crate::checks::Positioned) and [`Syncs`](crate::checks::Syncs),
//! with the same sentences. The mode capabilities are the sync form's own.

use std::io::{self, SeekFrom};
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::AsyncSeek;

use crate::asynchronous::{AsyncFileOps, AsyncSeekConnection, ReadAtOp, SyncOp, WriteAtOp};

use super::super::kind::file;
use super::declaration::AsyncDeclaration;
use super::op::AsyncCoverOf;

/// Kinds with a position to move: `file`.
#[diagnostic::on_unimplemented(
    message = "`{D}` is declared a socket: a stream has no position, so it cannot seek",
    label = "`{D}` is a socket",
    note = "`seek`, `rewind` and `stream_position` are for files, declared `#[ha_connection(file, ...)]`"
)]
pub trait AsyncSeeks<D: AsyncDeclaration> {
    /// Starts moving the position (`AsyncSeek::start_seek`).
    #[doc(hidden)]
    fn start_seek(cover: &mut AsyncCoverOf<D>, pos: SeekFrom) -> io::Result<()>;
    /// Waits for the position (`AsyncSeek::poll_complete`).
    #[doc(hidden)]
    fn poll_complete(cover: &mut AsyncCoverOf<D>, cx: &mut Context<'_>) -> Poll<io::Result<u64>>;
}

/// Kinds with offsets to read and write at: `file`.
#[diagnostic::on_unimplemented(
    message = "`{D}` is declared a socket: a stream has no offsets, so it cannot read or write at one",
    label = "`{D}` is a socket",
    note = "`read_at` and `write_at` are for files, declared `#[ha_connection(file, ...)]`"
)]
pub trait AsyncPositioned<D: AsyncDeclaration> {
    /// `pread`.
    #[doc(hidden)]
    fn poll_read_at(
        cover: &mut AsyncCoverOf<D>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
        offset: u64,
    ) -> Poll<io::Result<usize>>;
    /// `pwrite`.
    #[doc(hidden)]
    fn poll_write_at(
        cover: &mut AsyncCoverOf<D>,
        cx: &mut Context<'_>,
        buf: &[u8],
        offset: u64,
    ) -> Poll<io::Result<usize>>;
}

/// Kinds with storage to flush: `file`.
#[diagnostic::on_unimplemented(
    message = "`{D}` is declared a socket: it has no storage to flush, so it cannot `sync_all` or `sync_data`",
    label = "`{D}` is a socket",
    note = "`flush` sends what a socket buffers; `sync_all` and `sync_data` are for files"
)]
pub trait AsyncSyncs<D: AsyncDeclaration> {
    /// `fsync` (`data_only`: `fdatasync`).
    #[doc(hidden)]
    fn poll_sync(
        cover: &mut AsyncCoverOf<D>,
        cx: &mut Context<'_>,
        data_only: bool,
    ) -> Poll<io::Result<()>>;
}

impl<D: AsyncDeclaration> AsyncSeeks<D> for file
where
    D::Connection: AsyncSeekConnection,
{
    fn start_seek(cover: &mut AsyncCoverOf<D>, pos: SeekFrom) -> io::Result<()> {
        Pin::new(cover).start_seek(pos)
    }

    fn poll_complete(cover: &mut AsyncCoverOf<D>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        Pin::new(cover).poll_complete(cx)
    }
}

impl<D: AsyncDeclaration> AsyncPositioned<D> for file
where
    D::Connection: AsyncFileOps,
{
    fn poll_read_at(
        cover: &mut AsyncCoverOf<D>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
        offset: u64,
    ) -> Poll<io::Result<usize>> {
        cover.poll_op(cx, &mut ReadAtOp { buf, offset })
    }

    fn poll_write_at(
        cover: &mut AsyncCoverOf<D>,
        cx: &mut Context<'_>,
        buf: &[u8],
        offset: u64,
    ) -> Poll<io::Result<usize>> {
        cover.poll_op(cx, &mut WriteAtOp { buf, offset })
    }
}

impl<D: AsyncDeclaration> AsyncSyncs<D> for file
where
    D::Connection: AsyncFileOps,
{
    fn poll_sync(
        cover: &mut AsyncCoverOf<D>,
        cx: &mut Context<'_>,
        data_only: bool,
    ) -> Poll<io::Result<()>> {
        cover.poll_op(cx, &mut SyncOp { data_only })
    }
}
