//! Compile-time checks of an async declaration that no single trait bound can
//! express: the async counterparts of the sync form's (see `declaration_checks.rs` there).
//! Hidden: only the code `#[ha_connection(..., asynchronous)]` writes uses them.

use std::io::{self, SeekFrom};
use std::marker::PhantomData;
use std::os::fd::BorrowedFd;
use std::path::Path;
use std::task::{Context, Poll};

use tokio::io::ReadBuf;

use crate::asynchronous::{
    AsyncConnection, AsyncFailure, AsyncFileConnection, AsyncHandleRecovery, AsyncReopenSeekTarget,
    AsyncReopenTarget, AsyncSeekConnection, BoxFuture,
};
use crate::connection::Kind;
use ha_cover_engine::AttemptError;

use super::super::declaration_checks::{Fine, Reopens, SeeksBack};

/// A stand-in for every seekable async file connection.
#[derive(Debug)]
pub enum AnySeekableAsyncFile {}

/// A stand-in for an async file that only appends.
#[derive(Debug)]
pub enum AnyAppendOnlyAsyncFile {}

macro_rules! stand_in {
    ($ty:ty) => {
        // Not recommended: an error about a connection that is not a file
        // must not list these stand-ins as files.
        #[diagnostic::do_not_recommend]
        impl AsyncConnection for $ty {
            const KIND: Kind = Kind::File;
            fn try_dup(&self) -> io::Result<Self> {
                match *self {}
            }
            fn descriptor(&self) -> Option<BorrowedFd<'_>> {
                match *self {}
            }
            fn poll_read(
                &mut self,
                _: &mut Context<'_>,
                _: &mut ReadBuf<'_>,
            ) -> Poll<io::Result<()>> {
                match *self {}
            }
            fn poll_write(&mut self, _: &mut Context<'_>, _: &[u8]) -> Poll<io::Result<usize>> {
                match *self {}
            }
        }

        #[diagnostic::do_not_recommend]
        impl AsyncFileConnection for $ty {
            async fn reopen(dead: &Self, _: &Path, _: libc::c_int) -> io::Result<Self> {
                match *dead {}
            }
        }

        #[diagnostic::do_not_recommend]
        impl AsyncReopenTarget for $ty {}
    };
}

stand_in!(AnySeekableAsyncFile);
stand_in!(AnyAppendOnlyAsyncFile);

#[diagnostic::do_not_recommend]
impl AsyncSeekConnection for AnySeekableAsyncFile {
    fn poll_seek(&mut self, _: &mut Context<'_>, _: SeekFrom) -> Poll<io::Result<u64>> {
        match *self {}
    }
}

#[diagnostic::do_not_recommend]
impl AsyncReopenSeekTarget for AnySeekableAsyncFile {}

/// Asks, by autoref specialization, how a handle recovers async files; see the
/// sync `StrategyProbe`.
#[derive(Debug)]
pub struct AsyncStrategyProbe<H>(PhantomData<H>);

impl<H> AsyncStrategyProbe<H> {
    /// The probe of the handle `H`.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self(PhantomData)
    }
}

/// First choice: the handle recovers an async file that only appends.
pub trait AsyncProbeFine {
    /// The verdict this impl gives.
    fn verdict(&self) -> Reopens {
        Reopens
    }
}
impl<H: AsyncHandleRecovery<AnyAppendOnlyAsyncFile>> AsyncProbeFine for &&AsyncStrategyProbe<H> {}

/// Second: it recovers any seekable async file, but not one that only appends.
pub trait AsyncProbeSeeksBack {
    /// The verdict this impl gives.
    fn verdict(&self) -> SeeksBack {
        SeeksBack
    }
}
impl<H: AsyncHandleRecovery<AnySeekableAsyncFile>> AsyncProbeSeeksBack for &AsyncStrategyProbe<H> {}

/// Otherwise it recovers particular connection types only.
pub trait AsyncProbeGeneric {
    /// The verdict this impl gives.
    fn verdict(&self) -> Fine {
        Fine
    }
}
impl<H> AsyncProbeGeneric for AsyncStrategyProbe<H> {}

/// The checks of the word `file` or `socket`, the same as the sync form's.
pub use super::super::declaration_checks::{KindIs, check_file_kind, check_socket_kind};

/// Whether `C::KIND` is `Kind::File`, for [`KindIs`](super::super::declaration_checks::KindIs).
pub const fn is_file<C: AsyncConnection>() -> bool {
    matches!(C::KIND, Kind::File)
}

/// `file = T` names an async connection with a position, unless it only
/// appends. Written only when the recovery does not require it already, so a
/// missing `AsyncSeekConnection` is one error.
pub const fn check_seekable<C: AsyncSeekConnection>() {}

/// What `recovery = reopen_seek` needs of an async connection, as one trait
/// whose impl is not recommended: see the sync `ReopenSeekFile`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a seekable async file connection, so `recovery = reopen_seek` cannot recover it",
    label = "`recovery = reopen_seek`, the default for files, reopens the path and seeks back",
    note = "a socket is declared `socket = {Self}` and recovered by reconnecting; the async file connection is `ha_cover::asynchronous::File`",
    note = "a file connection type of your own implements `ha_cover::asynchronous::AsyncFileConnection` and `ha_cover::asynchronous::AsyncSeekConnection` (see their documentation), or names another recovery: `recovery = reopen` or `recovery = path::to::function`"
)]
pub trait AsyncReopenSeekFile: AsyncFileConnection + AsyncSeekConnection {}

#[diagnostic::do_not_recommend]
impl<C: AsyncFileConnection + AsyncSeekConnection> AsyncReopenSeekFile for C {}

/// [`reopen_seek`](crate::asynchronous::reopen_seek) with the bound above.
pub fn recover_reopen_seek<'a, C: AsyncReopenSeekFile, H>(
    failure: &'a AsyncFailure<'a, C>,
    handle: &'a mut H,
) -> BoxFuture<'a, Result<C, AttemptError>> {
    crate::asynchronous::reopen_seek(failure, handle)
}
