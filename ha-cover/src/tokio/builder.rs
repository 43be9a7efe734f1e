//! Making async covers: the same [`Builder`] as the sync covers, with async
//! finalizers.

use std::io;
use std::path::Path;

use tokio::net::{TcpStream, ToSocketAddrs, UnixStream};

use super::connection::AsyncConnection;
use super::cover::AsyncCover;
use super::file::File;
use ha_cover_engine::{AttemptError, Config, Group};

use super::group::AsyncExt;
use super::recover::{AsyncFailure, BoxFuture};
use crate::builder::{Builder, Discovery, discovery_needs_a_socket};
use crate::connection::{Kind, Peer};
use crate::handle::{Recoverable, Transfer};
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

impl Builder {
    /// Opens `path` read-only and covers it, for tokio.
    pub async fn open_async<H: Recoverable>(
        self,
        path: impl AsRef<Path>,
        recovery: impl AsyncRecoveryFn<File, H>,
        handle: H,
    ) -> io::Result<AsyncCover<File, H>> {
        self.open_with_async(
            path,
            std::fs::OpenOptions::new().read(true),
            recovery,
            handle,
        )
        .await
    }

    /// Opens `path` with `options` and covers it, for tokio. Recovery reopens
    /// with the same flags, never creating or truncating.
    pub async fn open_with_async<H: Recoverable>(
        self,
        path: impl AsRef<Path>,
        options: &std::fs::OpenOptions,
        recovery: impl AsyncRecoveryFn<File, H>,
        handle: H,
    ) -> io::Result<AsyncCover<File, H>> {
        let path = std::path::absolute(path)?;
        let file = File::open_with(&path, options).await?;
        let origin = Origin::of_descriptor(std::os::fd::AsFd::as_fd(file.std()), Some(&path));
        self.assemble_async(file, origin, Box::new(recovery), handle)
    }

    /// Creates (or truncates) `path` for writing and covers it, for tokio.
    pub async fn create_async<H: Recoverable>(
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
        self.open_with_async(path, &options, recovery, handle).await
    }

    /// Connects to the Unix socket at `path` and covers the stream, for tokio.
    pub async fn connect_unix_async<H: Recoverable>(
        self,
        path: impl AsRef<Path>,
        recovery: impl AsyncRecoveryFn<UnixStream, H>,
        handle: H,
    ) -> io::Result<AsyncCover<UnixStream, H>> {
        let path = std::path::absolute(path)?;
        let stream = UnixStream::connect(&path).await?;
        let origin = Origin::Socket(Peer::unix(&path)?);
        self.assemble_async(stream, origin, Box::new(recovery), handle)
    }

    /// Connects to a TCP address and covers the stream, for tokio.
    pub async fn connect_tcp_async<H: Recoverable>(
        self,
        addr: impl ToSocketAddrs,
        recovery: impl AsyncRecoveryFn<TcpStream, H>,
        handle: H,
    ) -> io::Result<AsyncCover<TcpStream, H>> {
        let stream = TcpStream::connect(addr).await?;
        let origin = Origin::Socket(Peer::Tcp(stream.peer_addr()?));
        self.assemble_async(stream, origin, Box::new(recovery), handle)
    }

    /// Covers an open async connection.
    pub fn attach_async<C: AsyncConnection, H: Recoverable>(
        self,
        conn: C,
        recovery: impl AsyncRecoveryFn<C, H>,
        handle: H,
    ) -> io::Result<AsyncCover<C, H>> {
        let origin = conn.origin();
        self.assemble_async(conn, origin, Box::new(recovery), handle)
    }

    fn assemble_async<C: AsyncConnection, H: Recoverable>(
        self,
        conn: C,
        found: Origin,
        recovery: Box<dyn super::recover::AsyncRecover<C, H>>,
        mut handle: H,
    ) -> io::Result<AsyncCover<C, H>> {
        let name = self.chosen_name();
        let (policy, sink, origin, discovery) = self.into_parts();
        let origin = origin.unwrap_or(found);
        let recovery: Box<dyn super::recover::AsyncRecover<C, H>> = match discovery {
            None => recovery,
            Some(_) if C::KIND != Kind::Socket => return Err(discovery_needs_a_socket()),
            Some(Discovery::Async(discovery)) => Box::new(super::AsyncRediscover {
                discovery,
                recovery,
                current: origin.peer().cloned(),
            }),
            Some(Discovery::Sync(_)) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "the builder was given a sync discovery (`discover`), and this cover is async: give it `discover_async` instead",
                ));
            }
        };
        let mut identity = None;
        if C::KIND == Kind::File
            && let Some(fd) = conn.descriptor()
        {
            identity = Identity::capture(policy.identity, fd)?;
            let position = if origin.is_append() {
                sys::seek_to_end(fd)?
            } else {
                sys::position(fd).unwrap_or(0)
            };
            if position != 0 {
                handle.on_transfer(Transfer::Seeked(position));
            }
        }
        let group = Group::new(Config {
            kind: C::KIND,
            append: origin.is_append(),
            policy,
            sink,
            seed: crate::builder::random_seed(),
            name,
            target: origin.target(),
        });
        let ext = AsyncExt {
            handle: Some(handle),
            recovery: Some(recovery),
            origin,
            identity,
            latest: None,
            behind: 0,
        };
        Ok(AsyncCover::assemble(conn, group, ext))
    }
}

impl AsyncCover<File> {
    /// A [`Builder`] to choose the policy before opening.
    pub fn builder() -> Builder {
        Builder::new()
    }
}

impl<H: Recoverable> AsyncCover<File, H> {
    /// Opens `path` read-only and covers it with the default policy.
    pub async fn open(
        path: impl AsRef<Path>,
        recovery: impl AsyncRecoveryFn<File, H>,
        handle: H,
    ) -> io::Result<Self> {
        Builder::new().open_async(path, recovery, handle).await
    }

    /// Opens `path` with `options` and covers it with the default policy.
    pub async fn open_with(
        path: impl AsRef<Path>,
        options: &std::fs::OpenOptions,
        recovery: impl AsyncRecoveryFn<File, H>,
        handle: H,
    ) -> io::Result<Self> {
        Builder::new()
            .open_with_async(path, options, recovery, handle)
            .await
    }

    /// Creates `path` and covers it with the default policy.
    pub async fn create(
        path: impl AsRef<Path>,
        recovery: impl AsyncRecoveryFn<File, H>,
        handle: H,
    ) -> io::Result<Self> {
        Builder::new().create_async(path, recovery, handle).await
    }
}

impl<H: Recoverable> AsyncCover<UnixStream, H> {
    /// Connects to a Unix socket and covers it with the default policy.
    pub async fn connect_unix(
        path: impl AsRef<Path>,
        recovery: impl AsyncRecoveryFn<UnixStream, H>,
        handle: H,
    ) -> io::Result<Self> {
        Builder::new()
            .connect_unix_async(path, recovery, handle)
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
        Builder::new()
            .connect_tcp_async(addr, recovery, handle)
            .await
    }
}

impl<C: AsyncConnection, H: Recoverable> AsyncCover<C, H> {
    /// Covers an open async connection with the default policy.
    pub fn attach(conn: C, recovery: impl AsyncRecoveryFn<C, H>, handle: H) -> io::Result<Self> {
        Builder::new().attach_async(conn, recovery, handle)
    }
}
