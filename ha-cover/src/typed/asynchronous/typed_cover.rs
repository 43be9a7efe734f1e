//! The cover under every async declared connection type, and the async
//! constructors the generated ones call.

use std::fmt;
use std::fs::OpenOptions;
use std::io;
use std::path::Path;

use tokio::net::{TcpStream, ToSocketAddrs, UnixStream};

use crate::asynchronous::{AsyncConnection, AsyncRecoveryFn, File};
use crate::control::Control;

use super::super::capability::Writes;
use super::super::kind::ConnectionKind;
use super::super::mode::AccessMode;
use super::super::typed_cover::check_declared_access;
use super::super::unavailable::Duplicated;
use super::declaration::AsyncDeclaration;
use super::op::AsyncCoverOf;

/// An [`AsyncCover`](crate::asynchronous::AsyncCover) whose connection, handle, recovery, policy and allowed
/// operations are fixed by an async declaration `D`: what a
/// `#[ha_connection(..., asynchronous)]` type derefs to.
///
/// Its I/O methods (`read`, `write_all`, `seek`, `read_at`, `sync_all`...)
/// exist for every declaration but compile only where the declaration allows
/// them, with a sentence about the declaration otherwise. The declared type
/// itself implements tokio's `AsyncRead`, `AsyncWrite` and `AsyncSeek` where
/// allowed, for code generic over them (`BufReader`, `tokio::io::copy`, the
/// `*Ext` traits).
pub struct AsyncTypedCover<D: AsyncDeclaration> {
    pub(super) cover: AsyncCoverOf<D>,
}

impl<D: AsyncDeclaration> AsyncTypedCover<D> {
    fn declared(cover: AsyncCoverOf<D>) -> D {
        D::from_typed(Self { cover })
    }

    /// Another connection of the same declared type on the same open
    /// connection (QNX's `ha_dup`): it shares the position, the handle, the
    /// counters and the recovery, across tasks; one recovery serves both.
    pub fn dup(&self) -> io::Result<D> {
        self.cover.dup().map(Self::declared)
    }

    /// Not a method of a cover: says to call [`dup`](Self::dup).
    #[doc(hidden)]
    #[allow(clippy::should_implement_trait)]
    pub fn clone(&self) -> D
    where
        D: Duplicated,
    {
        unreachable!("`D: Duplicated` holds for no type")
    }

    /// Not a method of a cover: says to call [`dup`](Self::dup).
    #[doc(hidden)]
    pub fn try_clone(&self) -> io::Result<D>
    where
        D: Duplicated,
    {
        unreachable!("`D: Duplicated` holds for no type")
    }

    /// Calls `f` with the client's handle (shared by all dups), once no
    /// recovery function has it. See
    /// [`AsyncCover::with_handle`](crate::asynchronous::AsyncCover::with_handle).
    pub async fn with_handle<R>(&self, f: impl FnOnce(&mut D::Handle) -> R) -> R {
        self.cover.with_handle(f).await
    }

    /// The recovery controls of the connection and its dups: suspend,
    /// enable, limits (the declared ones to begin with), counters, stats.
    pub fn control(&self) -> Control<'_> {
        self.cover.control()
    }

    /// The connection under the cover. I/O on it directly is not covered.
    pub fn get_ref(&self) -> &D::Connection {
        self.cover.get_ref()
    }

    /// The untyped cover, for code written against [`AsyncCover`](crate::asynchronous::AsyncCover).
    pub fn as_cover(&self) -> &AsyncCoverOf<D> {
        &self.cover
    }

    /// Replaces the recovery function of the connection and its dups (QNX's
    /// `HAREPLACERECOVERYFN`), from the next recovery on.
    pub fn set_recovery(&self, recovery: impl AsyncRecoveryFn<D::Connection, D::Handle>) {
        self.cover.set_recovery(recovery);
    }

    /// Puts the declared recovery back after [`set_recovery`](Self::set_recovery).
    pub fn restore_recovery(&self) {
        self.cover.set_recovery(D::recover);
    }

    /// Stops checking the declaration: the untyped cover, still covering.
    pub fn into_cover(self) -> AsyncCoverOf<D> {
        self.cover
    }

    /// Stops covering (QNX's `ha_detach`): the connection as it is now.
    pub fn into_inner(self) -> D::Connection {
        self.cover.into_inner()
    }

    /// Stops covering: the connection, and the handle when this was the last of
    /// its dups (a recovery task still running keeps it).
    pub fn into_parts(self) -> (D::Connection, Option<D::Handle>) {
        self.cover.into_parts()
    }
}

/// No bound on the connection, and no lock: see the sync form's.
impl<D: AsyncDeclaration> fmt::Debug for AsyncTypedCover<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(D::NAME)
            .field("kind", &<D::Kind as ConnectionKind>::WORD)
            .field("mode", &<D::Mode as AccessMode>::WORD)
            .field("generation", &self.cover.member.view.generation())
            .finish_non_exhaustive()
    }
}

/// `D::open(path, handle).await`: opens an existing file with the declared mode.
pub async fn open<D: AsyncDeclaration<Connection = File>>(
    path: impl AsRef<Path>,
    handle: D::Handle,
) -> io::Result<D> {
    let options = D::Mode::open_options(false);
    D::policy()
        .into_front::<crate::asynchronous::Tokio>()
        .open_with(path, &options, D::recover, handle)
        .await
        .map(AsyncTypedCover::declared)
}

/// `D::open_with(path, options, handle).await`: opens with the caller's
/// options, which must give the access the declared mode promises.
pub async fn open_with<D: AsyncDeclaration<Connection = File>>(
    path: impl AsRef<Path>,
    options: &OpenOptions,
    handle: D::Handle,
) -> io::Result<D> {
    let cover = D::policy()
        .into_front::<crate::asynchronous::Tokio>()
        .open_with(path, options, D::recover, handle)
        .await?;
    check_access::<D>(cover.get_ref())?;
    Ok(AsyncTypedCover::declared(cover))
}

/// `D::create(path, handle).await`: creates the file (emptying it, except in
/// `append` mode) with the declared mode. Recovery never creates or truncates.
pub async fn create<D: AsyncDeclaration<Connection = File>>(
    path: impl AsRef<Path>,
    handle: D::Handle,
) -> io::Result<D>
where
    D::Mode: Writes<D>,
{
    let options = D::Mode::open_options(true);
    D::policy()
        .into_front::<crate::asynchronous::Tokio>()
        .open_with(path, &options, D::recover, handle)
        .await
        .map(AsyncTypedCover::declared)
}

/// `D::connect(path, handle).await` for `unix`.
pub async fn connect_unix<D: AsyncDeclaration<Connection = UnixStream>>(
    path: impl AsRef<Path>,
    handle: D::Handle,
) -> io::Result<D> {
    D::policy()
        .into_front::<crate::asynchronous::Tokio>()
        .connect_unix(path, D::recover, handle)
        .await
        .map(AsyncTypedCover::declared)
}

/// `D::connect(addr, handle).await` for `tcp`.
pub async fn connect_tcp<D: AsyncDeclaration<Connection = TcpStream>>(
    addr: impl ToSocketAddrs,
    handle: D::Handle,
) -> io::Result<D> {
    D::policy()
        .into_front::<crate::asynchronous::Tokio>()
        .connect_tcp(addr, D::recover, handle)
        .await
        .map(AsyncTypedCover::declared)
}

/// `D::attach(conn, handle)`: covers an open async connection. A file must
/// have been opened with the access the declared mode promises.
pub fn attach<D: AsyncDeclaration>(conn: D::Connection, handle: D::Handle) -> io::Result<D> {
    check_access::<D>(&conn)?;
    D::policy()
        .into_front::<crate::asynchronous::Tokio>()
        .attach(conn, D::recover, handle)
        .map(AsyncTypedCover::declared)
}

fn check_access<D: AsyncDeclaration>(conn: &D::Connection) -> io::Result<()> {
    check_declared_access::<D::Kind, D::Mode>(D::NAME, AsyncConnection::descriptor(conn))
}
