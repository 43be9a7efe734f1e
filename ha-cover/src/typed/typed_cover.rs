//! The cover under every declared connection type, and the constructors the
//! generated ones call.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io;
use std::net::{TcpStream, ToSocketAddrs};
use std::os::unix::net::UnixStream;
use std::path::Path;

use crate::builder::RecoveryFn;
use crate::connection::{Connection, Kind};
use crate::control::Control;
use crate::cover::Cover;
use crate::group::Membership;
use crate::sys;

use super::capability::Writes;
use super::declaration::Declaration;
use super::kind::ConnectionKind;
use super::mode::AccessMode;
use super::unavailable::{Duplicated, Forwarded, method};

/// A [`Cover`] whose connection, handle, recovery, policy and allowed
/// operations are fixed by a declaration `D`: what a `#[ha_connection]` type
/// derefs to.
///
/// Its I/O methods exist for every declaration but compile only where the
/// declaration allows them: `write` on a `mode = read_only` type is an error
/// saying so. The declared type itself implements `Read`, `Write` and `Seek`
/// where allowed, for code generic over them (`BufReader`, `io::copy`, `write!`).
pub struct TypedCover<D: Declaration> {
    pub(super) cover: Cover<D::Connection, D::Handle>,
}

impl<D: Declaration> TypedCover<D> {
    fn declared(cover: Cover<D::Connection, D::Handle>) -> D {
        D::from_typed(Self { cover })
    }

    /// Another connection of the same declared type on the same open connection
    /// (QNX's `ha_dup`): it shares the position, the handle, the counters and
    /// the recovery; one recovery serves both.
    pub fn dup(&mut self) -> io::Result<D> {
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

    /// Not forwarded: says to call it on [`get_ref`](Self::get_ref).
    #[doc(hidden)]
    pub fn metadata(&self) -> io::Result<std::fs::Metadata>
    where
        D: Forwarded<method::metadata>,
    {
        unreachable!("`D: Forwarded<_>` holds for no type")
    }

    /// Not forwarded: says to call it on [`get_ref`](Self::get_ref).
    #[doc(hidden)]
    pub fn set_len(&self, _: u64) -> io::Result<()>
    where
        D: Forwarded<method::set_len>,
    {
        unreachable!("`D: Forwarded<_>` holds for no type")
    }

    /// Calls `f` with the client's handle (shared by all dups). See
    /// [`Cover::with_handle`].
    ///
    /// # Panics
    /// If called from inside the recovery function of this cover's own group.
    pub fn with_handle<R>(&self, f: impl FnOnce(&mut D::Handle) -> R) -> R {
        self.cover.with_handle(f)
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

    /// The untyped cover, for code written against [`Cover`].
    pub fn as_cover(&self) -> &Cover<D::Connection, D::Handle> {
        &self.cover
    }

    /// Replaces the recovery function of the connection and its dups (QNX's
    /// `HAREPLACERECOVERYFN`), from the next failure on.
    pub fn set_recovery(&self, recovery: impl RecoveryFn<D::Connection, D::Handle>) {
        self.cover.set_recovery(recovery);
    }

    /// Puts the declared recovery back after [`set_recovery`](Self::set_recovery).
    pub fn restore_recovery(&self) {
        self.cover.set_recovery(D::recover);
    }

    /// Stops checking the declaration: the untyped cover, still covering.
    pub fn into_cover(self) -> Cover<D::Connection, D::Handle> {
        self.cover
    }

    /// Stops covering (QNX's `ha_detach`): the connection as it is now.
    pub fn into_inner(self) -> D::Connection {
        self.cover.into_inner()
    }

    /// Stops covering: the connection, and the handle when this was the last of
    /// its dups.
    pub fn into_parts(self) -> (D::Connection, Option<D::Handle>) {
        self.cover.into_parts()
    }
}

/// No bound on the connection: the declared type's `Debug` must compile for
/// connection types of the user's that are not `Debug`. No lock either, so it can
/// be printed from inside a recovery function.
impl<D: Declaration> fmt::Debug for TypedCover<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(D::NAME)
            .field("kind", &<D::Kind as ConnectionKind>::WORD)
            .field("mode", &<D::Mode as AccessMode>::WORD)
            .field(
                "generation",
                &self.cover.positioned.generation(&self.cover.member),
            )
            .field("dup", &matches!(self.cover.group, Membership::Shared(_)))
            .finish_non_exhaustive()
    }
}

/// `D::open(path, handle)`: opens an existing file with the declared mode.
pub fn open<D: Declaration<Connection = File>>(
    path: impl AsRef<Path>,
    handle: D::Handle,
) -> io::Result<D> {
    let options = D::Mode::open_options(false);
    D::policy()
        .open_with(path, &options, D::recover, handle)
        .map(TypedCover::declared)
}

/// `D::open_with(path, options, handle)`: opens with the caller's options, which
/// must give the access the declared mode promises.
pub fn open_with<D: Declaration<Connection = File>>(
    path: impl AsRef<Path>,
    options: &OpenOptions,
    handle: D::Handle,
) -> io::Result<D> {
    let cover = D::policy().open_with(path, options, D::recover, handle)?;
    check_access::<D>(cover.get_ref())?;
    Ok(TypedCover::declared(cover))
}

/// `D::create(path, handle)`: creates the file (emptying it, except in `append`
/// mode) with the declared mode. Recovery never creates or truncates.
pub fn create<D: Declaration<Connection = File>>(
    path: impl AsRef<Path>,
    handle: D::Handle,
) -> io::Result<D>
where
    D::Mode: Writes<D>,
{
    let options = D::Mode::open_options(true);
    D::policy()
        .open_with(path, &options, D::recover, handle)
        .map(TypedCover::declared)
}

/// `D::connect(path, handle)` for `unix`.
pub fn connect_unix<D: Declaration<Connection = UnixStream>>(
    path: impl AsRef<Path>,
    handle: D::Handle,
) -> io::Result<D> {
    D::policy()
        .connect_unix(path, D::recover, handle)
        .map(TypedCover::declared)
}

/// `D::connect(addr, handle)` for `tcp`.
pub fn connect_tcp<D: Declaration<Connection = TcpStream>>(
    addr: impl ToSocketAddrs,
    handle: D::Handle,
) -> io::Result<D> {
    D::policy()
        .connect_tcp(addr, D::recover, handle)
        .map(TypedCover::declared)
}

/// `D::attach(conn, handle)`: covers an open connection. A file must have been
/// opened with the access the declared mode promises.
pub fn attach<D: Declaration>(conn: D::Connection, handle: D::Handle) -> io::Result<D> {
    check_access::<D>(&conn)?;
    D::policy()
        .attach(conn, D::recover, handle)
        .map(TypedCover::declared)
}

/// A file opened by someone else must allow what the declared mode promises,
/// or the typed cover would offer operations that fail with `EBADF`.
fn check_access<D: Declaration>(conn: &D::Connection) -> io::Result<()> {
    check_declared_access::<D::Kind, D::Mode>(D::NAME, conn.descriptor())
}

/// [`check_access`] for a declaration's kind and mode, named `name`, on the
/// descriptor of its connection; shared with the async declarations.
pub(super) fn check_declared_access<K: ConnectionKind, M: AccessMode>(
    name: &str,
    fd: Option<std::os::fd::BorrowedFd<'_>>,
) -> io::Result<()> {
    if K::KIND != Kind::File {
        return Ok(());
    }
    let Some(fd) = fd else {
        return Ok(());
    };
    let flags = sys::status_flags(fd)?;
    if M::admits(flags) {
        return Ok(());
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "`{name}` is declared `mode = {}`, and this file is open {}",
            M::WORD,
            describe_access(flags)
        ),
    ))
}

fn describe_access(flags: libc::c_int) -> &'static str {
    let append = flags & libc::O_APPEND != 0;
    match (flags & libc::O_ACCMODE, append) {
        (libc::O_RDONLY, _) => "read-only",
        (libc::O_WRONLY, false) => "write-only",
        (libc::O_WRONLY, true) => "write-only for appending",
        (_, false) => "for reading and writing",
        (_, true) => "for reading and appending",
    }
}
