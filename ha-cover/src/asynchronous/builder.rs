//! Making async covers: the [`Builder`] of the sync covers, for tokio
//! (`Builder<Tokio>`, from [`AsyncCover::builder`]): the same policy, with
//! async constructors.

use std::io;
use std::path::Path;

use tokio::net::{TcpStream, ToSocketAddrs, UnixStream};

use super::connection::AsyncConnection;
use super::cover::AsyncCover;
use super::file::File;
use ha_cover_engine::{AttemptError, Config, Group};

use super::group::AsyncExt;
use super::recover::{AsyncFailure, BoxFuture};
use std::sync::Arc;

use super::discover::AsyncDiscover;
use crate::builder::{Builder, Discovery, discovery_needs_a_socket};
use crate::connection::{Kind, Peer};
use crate::handle::{Recoverable, Transfer};
use crate::latest::Latest;
use crate::origin::{Identity, Origin};
use crate::sys;

/// The recovery function parameter of every async constructor: any
/// `FnMut(&AsyncFailure<C>, &mut H) -> BoxFuture<Result<C, AttemptError>>`.
pub trait AsyncRecoveryFn<C, H>:
    for<'a> FnMut(&'a AsyncFailure<'a, C>, &'a mut H) -> BoxFuture<'a, Result<C, AttemptError>>
    + Send
    + 'static
{
}

impl<C, H, F> AsyncRecoveryFn<C, H> for F where
    F: for<'a> FnMut(&'a AsyncFailure<'a, C>, &'a mut H) -> BoxFuture<'a, Result<C, AttemptError>>
        + Send
        + 'static
{
}

/// The [`Builder`] of async covers, for tokio: what [`AsyncCover::builder`]
/// returns.
#[derive(Debug)]
pub enum Tokio {}

impl Builder<Tokio> {
    /// Asks `discovery` where to reconnect on every recovery attempt, as
    /// [`Builder::discover`] does for sync covers: see [`AsyncDiscover`].
    pub fn discover(self, discovery: impl AsyncDiscover) -> Self {
        self.with_discovery(Discovery::Async(Arc::new(tokio::sync::Mutex::new(
            Box::new(discovery),
        ))))
    }

    /// Opens `path` read-only and covers it.
    pub async fn open<H: Recoverable>(
        self,
        path: impl AsRef<Path>,
        recovery: impl AsyncRecoveryFn<File, H>,
        handle: H,
    ) -> io::Result<AsyncCover<File, H>> {
        self.open_with(
            path,
            std::fs::OpenOptions::new().read(true),
            recovery,
            handle,
        )
        .await
    }

    /// Opens `path` with `options` and covers it, for tokio. Recovery reopens
    /// with the same flags, never creating or truncating.
    pub async fn open_with<H: Recoverable>(
        self,
        path: impl AsRef<Path>,
        options: &std::fs::OpenOptions,
        recovery: impl AsyncRecoveryFn<File, H>,
        handle: H,
    ) -> io::Result<AsyncCover<File, H>> {
        let path = std::path::absolute(path)?;
        let (first, policy) = self.first_connect();
        let watch = Origin::File {
            path: path.clone(),
            flags: 0,
        };
        let file = crate::first::asynchronous(first, Kind::File, policy, &watch, || {
            let (path, options, mount) = (path.clone(), options.clone(), first.mount.clone());
            async move {
                let std = tokio::task::spawn_blocking(move || match mount {
                    Some(mount) => crate::first::open_on_mount(&path, &options, &mount),
                    None => options.open(&path),
                })
                .await
                .map_err(io::Error::other)??;
                Ok(File::from_std(std))
            }
        })
        .await?;
        let origin = Origin::of_descriptor(std::os::fd::AsFd::as_fd(file.std()), Some(&path));
        self.assemble_first(file, origin, Box::new(recovery), handle)
            .await
    }

    /// Creates (or truncates) `path` for writing and covers it, for tokio.
    pub async fn create<H: Recoverable>(
        self,
        path: impl AsRef<Path>,
        recovery: impl AsyncRecoveryFn<File, H>,
        handle: H,
    ) -> io::Result<AsyncCover<File, H>> {
        let options = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .clone();
        self.open_with(path, &options, recovery, handle).await
    }

    /// Connects to the Unix socket at `path` and covers the stream, for tokio.
    pub async fn connect_unix<H: Recoverable>(
        self,
        path: impl AsRef<Path>,
        recovery: impl AsyncRecoveryFn<UnixStream, H>,
        handle: H,
    ) -> io::Result<AsyncCover<UnixStream, H>> {
        let path = std::path::absolute(path)?;
        let origin = Origin::Socket(Peer::unix(&path)?);
        let (first, policy) = self.first_connect();
        let stream = crate::first::asynchronous(first, Kind::Socket, policy, &origin, || {
            UnixStream::connect(&path)
        })
        .await?;
        self.assemble_first(stream, origin, Box::new(recovery), handle)
            .await
    }

    /// Connects to a TCP address and covers the stream, for tokio.
    pub async fn connect_tcp<H: Recoverable>(
        self,
        addr: impl ToSocketAddrs,
        recovery: impl AsyncRecoveryFn<TcpStream, H>,
        handle: H,
    ) -> io::Result<AsyncCover<TcpStream, H>> {
        let addrs: Vec<_> = tokio::net::lookup_host(addr).await?.collect();
        let (first, policy) = self.first_connect();
        let stream =
            crate::first::asynchronous(first, Kind::Socket, policy, &Origin::Unknown, || {
                TcpStream::connect(&addrs[..])
            })
            .await?;
        let origin = Origin::Socket(Peer::Tcp(stream.peer_addr()?));
        self.assemble_first(stream, origin, Box::new(recovery), handle)
            .await
    }

    /// Covers an open async connection.
    pub fn attach<C: AsyncConnection, H: Recoverable>(
        self,
        conn: C,
        recovery: impl AsyncRecoveryFn<C, H>,
        handle: H,
    ) -> io::Result<AsyncCover<C, H>> {
        let origin = conn.origin();
        self.assemble(conn, origin, Box::new(recovery), handle)
    }

    /// [`assemble`](Self::assemble) for a connection the builder made: when
    /// asked (`on_connect`), the recovery function makes it again first.
    async fn assemble_first<C: AsyncConnection, H: Recoverable>(
        self,
        conn: C,
        found: Origin,
        recovery: Box<dyn super::recover::AsyncRecover<C, H>>,
        mut handle: H,
    ) -> io::Result<AsyncCover<C, H>> {
        let (first, policy) = self.first_connect();
        if !first.on_connect.unwrap_or(H::ON_CONNECT) {
            return self.assemble(conn, found, recovery, handle);
        }
        let policy = policy.clone();
        let origin = self.chosen_origin().unwrap_or(found);
        let mut recovery = self.with_discovery_of(&origin, recovery)?;
        let conn = crate::first::through_async_recovery(
            &mut *recovery,
            conn,
            &origin,
            &mut handle,
            &policy,
        )
        .await?;
        self.assemble_wired(conn, origin, recovery, handle)
    }

    /// `recovery` behind the builder's discovery, if it has one.
    fn with_discovery_of<C: AsyncConnection, H: Recoverable>(
        &self,
        origin: &Origin,
        recovery: Box<dyn super::recover::AsyncRecover<C, H>>,
    ) -> io::Result<Box<dyn super::recover::AsyncRecover<C, H>>> {
        Ok(match self.chosen_discovery() {
            None => recovery,
            Some(_) if C::KIND != Kind::Socket => return Err(discovery_needs_a_socket()),
            Some(Discovery::Async(discovery)) => Box::new(super::AsyncRediscover {
                discovery,
                recovery,
                current: origin.peer().cloned(),
            }),
            Some(Discovery::Sync(_)) => unreachable!("an async builder has no sync discovery"),
        })
    }

    fn assemble<C: AsyncConnection, H: Recoverable>(
        self,
        conn: C,
        found: Origin,
        recovery: Box<dyn super::recover::AsyncRecover<C, H>>,
        handle: H,
    ) -> io::Result<AsyncCover<C, H>> {
        let origin = self.chosen_origin().unwrap_or(found);
        let recovery = self.with_discovery_of(&origin, recovery)?;
        self.assemble_wired(conn, origin, recovery, handle)
    }

    /// Makes the cover, with its recovery already behind the discovery.
    fn assemble_wired<C: AsyncConnection, H: Recoverable>(
        self,
        conn: C,
        origin: Origin,
        recovery: Box<dyn super::recover::AsyncRecover<C, H>>,
        mut handle: H,
    ) -> io::Result<AsyncCover<C, H>> {
        let name = self.chosen_name();
        let (policy, sink, _, _) = self.into_parts();
        let mut identity = None;
        let mut off_end = false;
        if C::KIND == Kind::File
            && let Some(fd) = conn.descriptor()
        {
            identity = Identity::capture(policy.identity, fd)?;
            let position = if origin.is_append() {
                let (position, end) = sys::place_append(fd)?;
                off_end = position != end;
                position
            } else {
                sys::position(fd).unwrap_or(0)
            };
            if position != 0 {
                handle.on_transfer(Transfer::Seeked(position));
            }
        }
        let mut group = Group::new(Config {
            kind: C::KIND,
            append: origin.is_append(),
            policy,
            sink,
            seed: crate::builder::random_seed(),
            name,
            target: origin.target(),
        });
        if off_end {
            // Not where the last append ended: no "did it land" from the
            // size until a recovery or an append puts it there.
            group.note_seek();
        }
        let ext = AsyncExt {
            handle: Some(handle),
            recovery: Some(recovery),
            origin,
            identity,
            latest: Latest::default(),
        };
        Ok(AsyncCover::assemble(conn, group, ext))
    }
}

impl AsyncCover<File> {
    /// A [`Builder`] of async covers, to choose the policy before opening a
    /// file or connecting a socket: its `open`, `create`, `connect_unix` and
    /// `connect_tcp` are `async` and make [`AsyncCover`]s.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use ha_cover::asynchronous::{AsyncCover, reconnect};
    ///
    /// # async fn f() -> std::io::Result<()> {
    /// let db = AsyncCover::builder()
    ///     .attempts(5)
    ///     .deadline(Duration::from_secs(10))
    ///     .connect_unix("/run/db.sock", reconnect, ())
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn builder() -> Builder<Tokio> {
        Builder::new().into_front()
    }
}

impl<H: Recoverable> AsyncCover<File, H> {
    /// Opens `path` read-only and covers it with the default policy.
    pub async fn open(
        path: impl AsRef<Path>,
        recovery: impl AsyncRecoveryFn<File, H>,
        handle: H,
    ) -> io::Result<Self> {
        AsyncCover::builder().open(path, recovery, handle).await
    }

    /// Opens `path` with `options` and covers it with the default policy.
    pub async fn open_with(
        path: impl AsRef<Path>,
        options: &std::fs::OpenOptions,
        recovery: impl AsyncRecoveryFn<File, H>,
        handle: H,
    ) -> io::Result<Self> {
        AsyncCover::builder()
            .open_with(path, options, recovery, handle)
            .await
    }

    /// Creates `path` and covers it with the default policy.
    pub async fn create(
        path: impl AsRef<Path>,
        recovery: impl AsyncRecoveryFn<File, H>,
        handle: H,
    ) -> io::Result<Self> {
        AsyncCover::builder().create(path, recovery, handle).await
    }
}

impl<H: Recoverable> AsyncCover<UnixStream, H> {
    /// Connects to a Unix socket and covers it with the default policy.
    pub async fn connect_unix(
        path: impl AsRef<Path>,
        recovery: impl AsyncRecoveryFn<UnixStream, H>,
        handle: H,
    ) -> io::Result<Self> {
        AsyncCover::builder()
            .connect_unix(path, recovery, handle)
            .await
    }
}

impl<H: Recoverable> AsyncCover<TcpStream, H> {
    /// Connects to a TCP address and covers it with the default policy.
    pub async fn connect_tcp(
        addr: impl ToSocketAddrs,
        recovery: impl AsyncRecoveryFn<TcpStream, H>,
        handle: H,
    ) -> io::Result<Self> {
        AsyncCover::builder()
            .connect_tcp(addr, recovery, handle)
            .await
    }
}

impl<C: AsyncConnection, H: Recoverable> AsyncCover<C, H> {
    /// Covers an open async connection with the default policy.
    pub fn attach(conn: C, recovery: impl AsyncRecoveryFn<C, H>, handle: H) -> io::Result<Self> {
        AsyncCover::builder().attach(conn, recovery, handle)
    }
}
