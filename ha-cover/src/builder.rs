//! Making covers: open and cover in one step, or cover an open connection, with
//! the policy chosen up front.

use std::fs::{File, OpenOptions};
use std::io;
use std::marker::PhantomData;
use std::net::{TcpStream, ToSocketAddrs};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::connection::{Connection, Kind, Peer};
use crate::cover::Cover;
use crate::first::FirstConnect;
use crate::group::Ext;
use crate::handle::{Recoverable, Transfer};
use crate::latest::Latest;
use crate::origin::{Identity, Origin};
use crate::recovery::{Failure, Recover};
use crate::strategy::{Discover, Rediscover, SharedDiscover};
use crate::sys;
use ha_cover_engine::Triggers;
use ha_cover_engine::{AttemptError, Config, Event, EventSink, Group};
use ha_cover_engine::{Backoff, IdentityCheck, Policy, Progress, WritePolicy};

/// Chooses the policy of a cover, then opens and covers.
///
/// ```no_run
/// use std::time::Duration;
/// use ha_cover::{Backoff, Cover};
///
/// # fn main() -> std::io::Result<()> {
/// let file = Cover::builder()
///     .attempts(5)
///     .backoff(Backoff::exponential(Duration::from_millis(10), Duration::from_secs(2)))
///     .deadline(Duration::from_secs(30))
///     .open("/mnt/fuse/testfile", ha_cover::reopen_seek, ())?;
/// # Ok(()) }
/// ```
///
/// A builder is a template: clone it to make many covers with one policy.
/// The clones share its event sink and its discovery (which answers one
/// lookup at a time).
///
/// `F` says which covers it makes: [`Blocking`] ones (this type's default, from
/// [`Builder::new`] or [`Cover::builder`]), or async ones
/// ([`AsyncCover::builder`][async-builder], feature `tokio`), whose `open`,
/// `create` and `connect_*` are `async`. The policy is chosen the same way for
/// both.
///
#[cfg_attr(
    all(feature = "tokio", not(loom)),
    doc = "[async-builder]: crate::asynchronous::AsyncCover::builder"
)]
#[cfg_attr(
    not(all(feature = "tokio", not(loom))),
    doc = "[async-builder]: https://docs.rs/ha-cover/latest/ha_cover/asynchronous/struct.AsyncCover.html#method.builder"
)]
#[must_use]
pub struct Builder<F = Blocking> {
    policy: Policy,
    sink: Option<EventSink>,
    name: Option<Arc<str>>,
    origin: Option<Origin>,
    discovery: Option<Discovery>,
    first: FirstConnect,
    front: PhantomData<fn() -> F>,
}

/// The [`Builder`] of sync covers ([`Cover`]): the default.
#[derive(Debug)]
pub enum Blocking {}

impl<F> Clone for Builder<F> {
    fn clone(&self) -> Self {
        Self {
            policy: self.policy.clone(),
            sink: self.sink.clone(),
            origin: self.origin.clone(),
            discovery: self.discovery.clone(),
            name: self.name.clone(),
            first: self.first.clone(),
            front: PhantomData,
        }
    }
}

/// Where a builder's covers ask where to reconnect: a sync discovery for sync
/// covers, an async one for async covers.
#[derive(Clone)]
pub(crate) enum Discovery {
    Sync(SharedDiscover),
    #[cfg(all(feature = "tokio", not(loom)))]
    Async(crate::asynchronous::SharedAsyncDiscover),
}

impl Discovery {
    /// The discovery of a sync socket cover, or why there is none.
    fn for_sync<C: Connection>(discovery: Option<Self>) -> io::Result<Option<SharedDiscover>> {
        match discovery {
            None => Ok(None),
            Some(_) if C::KIND != Kind::Socket => Err(discovery_needs_a_socket()),
            Some(Discovery::Sync(discovery)) => Ok(Some(discovery)),
            #[cfg(all(feature = "tokio", not(loom)))]
            Some(Discovery::Async(_)) => unreachable!("a sync builder has no async discovery"),
        }
    }
}

/// The error of a builder with a discovery that makes a file cover.
pub(crate) fn discovery_needs_a_socket() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        "a discovery finds where a socket reconnects, and this cover is a file: build it without `discover`",
    )
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl<F> std::fmt::Debug for Builder<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Builder")
            .field("name", &self.name)
            .field("policy", &self.policy)
            .field("origin", &self.origin)
            .field("discovery", &self.discovery.is_some())
            .finish_non_exhaustive()
    }
}

/// The recovery function parameter of every constructor.
pub trait RecoveryFn<C, H>:
    FnMut(&Failure<'_, C>, &mut H) -> Result<C, AttemptError> + Send + 'static
{
}

impl<C, H, F> RecoveryFn<C, H> for F where
    F: FnMut(&Failure<'_, C>, &mut H) -> Result<C, AttemptError> + Send + 'static
{
}

impl Builder {
    /// A builder of sync covers with the default policy: unlimited attempts
    /// within a 30 s deadline per failure, exponential backoff from 1 ms to
    /// 100 ms with jitter (cut short when the mount or Unix socket is seen
    /// back), the default triggers of the connection's kind, sockets treating
    /// EOF as a failure and never sending twice what the server may have seen.
    pub fn new() -> Self {
        Self {
            policy: Policy::default(),
            sink: None,
            name: None,
            origin: None,
            discovery: None,
            first: FirstConnect::default(),
            front: PhantomData,
        }
    }
}

impl<F> Builder<F> {
    /// The policy, event sink, origin and discovery chosen, for the async
    /// constructors.
    #[cfg(all(feature = "tokio", not(loom)))]
    pub(crate) fn into_parts(
        self,
    ) -> (Policy, Option<EventSink>, Option<Origin>, Option<Discovery>) {
        (self.policy, self.sink, self.origin, self.discovery)
    }

    /// The builder with `discovery`.
    #[cfg(all(feature = "tokio", not(loom)))]
    pub(crate) fn with_discovery(mut self, discovery: Discovery) -> Self {
        self.discovery = Some(discovery);
        self
    }

    /// The same policy, for the other kind of cover (the typed covers' policy
    /// is declared once, for both).
    #[cfg_attr(any(not(feature = "tokio"), loom), allow(dead_code))]
    pub(crate) fn into_front<G>(self) -> Builder<G> {
        Builder {
            policy: self.policy,
            sink: self.sink,
            origin: self.origin,
            discovery: self.discovery,
            name: self.name,
            first: self.first,
            front: PhantomData,
        }
    }

    /// The most recovery attempts for one failure (QNX's `HA_RECOVERY_ICOUNT`).
    pub fn attempts(mut self, limit: u32) -> Self {
        self.policy.attempts = Some(limit);
        self
    }

    /// The most recoveries the connection may make in all (`HA_RECOVERY_ACOUNT`).
    pub fn total(mut self, limit: u32) -> Self {
        self.policy.total = Some(limit);
        self
    }

    /// How long one recovery may take, from the failure to the connection being
    /// back, before the operation gets its original error.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.policy.deadline = Some(deadline);
        self
    }

    /// No deadline: recover for as long as the attempt limit allows.
    pub fn no_deadline(mut self) -> Self {
        self.policy.deadline = None;
        self
    }

    /// The wait between attempts.
    pub fn backoff(mut self, backoff: Backoff) -> Self {
        self.policy.backoff = backoff;
        self
    }

    /// How long a recovered connection must stay healthy before the backoff
    /// starts over; a server failing again sooner waits longer each time.
    pub fn healthy_after(mut self, period: Duration) -> Self {
        self.policy.healthy_after = period;
        self
    }

    /// The errors that trigger recovery, instead of the defaults of the
    /// connection's kind.
    pub fn triggers(mut self, triggers: Triggers) -> Self {
        self.policy.triggers = Some(triggers);
        self
    }

    /// Whether a read that returns end-of-file means the peer died. On by default
    /// for sockets (a killed server's socket reads EOF); a file's EOF is never a
    /// failure, and this setting is ignored for files.
    ///
    /// Turn it off for a protocol whose server closes the connection to end
    /// its answer (read to end-of-file, `read_to_end`): with it on, that
    /// end-of-file is taken for a death once the answer is read, the cover
    /// reconnects, and the read waits on the new connection for an answer to
    /// nothing it sent, for ever (or until the socket's read timeout). The
    /// same wait follows an answer that a death cuts in the middle: the part
    /// read counts as the answer, and the rest is not asked for again.
    pub fn eof_is_failure(mut self, yes: bool) -> Self {
        self.policy.eof_is_failure = Some(yes);
        self
    }

    /// What a socket may send again after its peer died.
    pub fn write_policy(mut self, policy: WritePolicy) -> Self {
        self.policy.write_policy = policy;
        self
    }

    /// How many unanswered bytes [`WritePolicy::Replay`] keeps (allocated once,
    /// when the cover is made). Default 64 KiB.
    pub fn replay_capacity(mut self, bytes: usize) -> Self {
        self.policy.replay_capacity = bytes;
        self
    }

    /// Check, on every reopen, that the path still names the file first opened.
    pub fn verify_identity(mut self, check: IdentityCheck) -> Self {
        self.policy.identity = check;
        self
    }

    /// When recovery gives up, return the original error wrapped in
    /// [`Unrecovered`](crate::Unrecovered), with the reason as its source, instead
    /// of exactly the error std returned. The error kind is kept;
    /// `raw_os_error()` is then `None` (read it with [`os_error`](crate::os_error)).
    pub fn wrap_errors(mut self, yes: bool) -> Self {
        self.policy.wrap_errors = yes;
        self
    }

    /// Makes the first open or connect wait for the server under this
    /// policy (attempts, deadline, backoff, cut short as soon as the mount or
    /// the Unix socket is seen back), as every later recovery does, instead of
    /// failing at once: a client started before its server, or during one of
    /// its restarts, gets its connection when the server is there. What is
    /// waited for: a socket that refuses the connection or whose Unix path is
    /// not there yet (`ECONNREFUSED`, `ENOENT`), the trigger errors of the
    /// connection's kind (a dead FUSE mount's `ENOTCONN`), and, with
    /// [`expect_mount`](Self::expect_mount), a mount that is not there. Other
    /// errors (a file that does not exist on a mounted filesystem) come back at
    /// once; when the policy gives up, the last attempt's error comes back.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use ha_cover::Cover;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let db = Cover::builder()
    ///     .deadline(Duration::from_secs(60))
    ///     .wait_for_server(true)
    ///     .connect_unix("/run/db.sock", ha_cover::reconnect, ())?; // waits for the server to listen
    /// # Ok(()) }
    /// ```
    pub fn wait_for_server(mut self, yes: bool) -> Self {
        self.first.wait = yes;
        self
    }

    /// Makes the first connection through the recovery function too, so that
    /// a handshake it does (an `after` hook: a login, a `SELECT`) runs on the
    /// first connection as on every reconnected one: the cover opens or
    /// connects, then calls the recovery function as for a recovery
    /// ([`Failure::is_first_connection`] says so, and its dead connection is
    /// the one just made) and keeps the connection it
    /// returns; an error fails the constructor. The default is what the
    /// handle declares ([`Recoverable::ON_CONNECT`],
    /// `#[recoverable(..., on_connect)]`). A connection given to `attach` was
    /// made by the caller, and is covered as it is.
    pub fn on_connect(mut self, yes: bool) -> Self {
        self.first.on_connect = Some(yes);
        self
    }

    /// Files this builder opens or creates must lie on the filesystem mounted
    /// at `dir`. While nothing is mounted there (its server is away and the
    /// mount is gone), opening fails with an error of kind `NotConnected`, or
    /// waits for the mount with [`wait_for_server`](Self::wait_for_server),
    /// and nothing is ever created on the bare mount point (which would make
    /// the next mount of the server fail: "mountpoint is not empty"). The
    /// mount is checked, and the path opened through it, in a way that a
    /// mount going away in between cannot redirect. A path outside `dir`, or
    /// one that leaves it with `..`, is an `InvalidInput` error. `dir` is a
    /// mount when its filesystem is another than that of its parent directory
    /// (its own `..`, also when `dir` is named through a symbolic link).
    ///
    /// ```no_run
    /// use ha_cover::Cover;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let out = Cover::builder()
    ///     .expect_mount("/mnt/fuse")
    ///     .wait_for_server(true)
    ///     .create("/mnt/fuse/out", ha_cover::reopen_seek, ())?;
    /// # Ok(()) }
    /// ```
    pub fn expect_mount(mut self, dir: impl Into<PathBuf>) -> Self {
        self.first.mount = Some(dir.into());
        self
    }

    /// Opens a file for a cover, as the builder says (on its mount, waiting
    /// for the server), blocking.
    fn first_open(&self, path: &Path, options: &OpenOptions) -> io::Result<File> {
        let watch = Origin::File {
            path: std::path::absolute(path)?,
            flags: 0,
        };
        crate::first::blocking(
            &self.first,
            Kind::File,
            &self.policy,
            &watch,
            || match &self.first.mount {
                Some(mount) => crate::first::open_on_mount(path, options, mount),
                None => options.open(path),
            },
        )
    }

    /// The origin given with [`origin`](Self::origin), for the async
    /// constructors.
    #[cfg(all(feature = "tokio", not(loom)))]
    pub(crate) fn chosen_origin(&self) -> Option<Origin> {
        self.origin.clone()
    }

    /// The discovery given, for the async constructors.
    #[cfg(all(feature = "tokio", not(loom)))]
    pub(crate) fn chosen_discovery(&self) -> Option<Discovery> {
        self.discovery.clone()
    }

    /// What the async constructors need of the first connection.
    #[cfg(all(feature = "tokio", not(loom)))]
    pub(crate) fn first_connect(&self) -> (&FirstConnect, &Policy) {
        (&self.first, &self.policy)
    }

    /// Calls `sink` with every recovery event of the connection group. An
    /// [`Event`] displays as one line that names the connection:
    ///
    /// ```no_run
    /// # fn main() -> std::io::Result<()> {
    /// let file = ha_cover::Builder::new()
    ///     .on_event(|event| eprintln!("{event}"))
    ///     .open("/mnt/fuse/testfile", ha_cover::reopen_seek, ())?;
    /// // /mnt/fuse/testfile (fd 3): connection lost: ENOTCONN (Transport endpoint is not connected); recovering
    /// // /mnt/fuse/testfile (fd 3): recovered after 2.31s (57 attempts)
    /// # Ok(()) }
    /// ```
    pub fn on_event(mut self, sink: impl Fn(&Event<'_>) + Send + Sync + 'static) -> Self {
        self.sink = Some(Arc::new(sink));
        self
    }

    /// Names the connection in logs, events, metrics (the `connection` label)
    /// and `Debug`: `"orders" (/mnt/fuse/orders.db)`. Without a name, they
    /// show its path or peer, and the metrics' label is empty.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        let name: String = name.into();
        self.name = (!name.is_empty()).then(|| Arc::from(name));
        self
    }

    /// When a recovery that takes its time says it is still going on: after
    /// `first`, then every `every` (by default after 1 s, then every 5 s), as
    /// an [`EventKind::Waiting`](crate::EventKind::Waiting) event and, with
    /// the `tracing` feature, a WARN line. [`Progress::off`] for none.
    pub fn progress(mut self, progress: Progress) -> Self {
        self.policy.progress = progress;
        self
    }

    /// The name chosen with [`name`](Self::name).
    #[cfg(all(feature = "tokio", not(loom)))]
    pub(crate) fn chosen_name(&self) -> Option<Arc<str>> {
        self.name.clone()
    }

    /// Where recovery should reopen or reconnect, for a connection attached with
    /// [`attach`](Self::attach) whose origin it cannot find by itself.
    pub fn origin(mut self, origin: Origin) -> Self {
        self.origin = Some(origin);
        self
    }
}

impl Builder {
    /// Asks `discovery` where to reconnect on every recovery attempt, instead of
    /// reconnecting to where the socket was: the recovery function is called
    /// once for each address found, in order, with that address as the
    /// [origin](Failure::origin) (so [`Failure::reconnect`] goes there), until
    /// one attempt succeeds. See [`Discover`]; for sockets only (a file cover
    /// built with it is an `InvalidInput` error).
    ///
    /// ```no_run
    /// use std::net::SocketAddr;
    /// use ha_cover::{Builder, Lookup};
    ///
    /// /// Asks a registry of our own where the primary is.
    /// fn primary(_: &Lookup<'_>) -> std::io::Result<SocketAddr> {
    ///     let addr = std::fs::read_to_string("/run/cluster/primary")?;
    ///     addr.trim().parse().map_err(std::io::Error::other)
    /// }
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let db = Builder::new()
    ///     .discover(primary)
    ///     .connect_tcp("10.0.0.1:6379", ha_cover::reconnect, ())?;
    /// # Ok(()) }
    /// ```
    pub fn discover(mut self, discovery: impl Discover) -> Self {
        self.discovery = Some(Discovery::Sync(Arc::new(Mutex::new(Box::new(discovery)))));
        self
    }

    /// Opens `path` read-only and covers it (QNX's `ha_open` with `O_RDONLY`).
    pub fn open<H: Recoverable>(
        self,
        path: impl AsRef<Path>,
        recovery: impl RecoveryFn<File, H>,
        handle: H,
    ) -> io::Result<Cover<File, H>> {
        let path = path.as_ref();
        let file = self.first_open(path, OpenOptions::new().read(true))?;
        self.cover_file(file, path, recovery, handle)
    }

    /// Opens `path` with `options` and covers it (QNX's `ha_open` with flags).
    /// Recovery reopens with the same access mode and flags but never creates or
    /// truncates.
    ///
    /// A file opened to append only is put at its end, where its appends go,
    /// and a recovery puts it there again: a failed append's fate is then read
    /// from the file's growth. One opened to read and append (a journal
    /// replayed, then appended to) starts where std's does, at its start, and
    /// a recovery leaves it where the recovery function put it:
    /// [`reopen_seek`](crate::reopen_seek) puts it where the reads were, which
    /// the kernel keeps; an `#[ha(offset)]` handle does not fit such a file (it
    /// counts an append as moving the position by its length, where the kernel
    /// moves it to the end, so a recovery after one would read part of the file
    /// again). An append that meets a death while the position is off the end
    /// (since the open, a seek, or a recovery that did not find it at the end)
    /// is [`Indeterminate`](crate::Indeterminate).
    pub fn open_with<H: Recoverable>(
        self,
        path: impl AsRef<Path>,
        options: &OpenOptions,
        recovery: impl RecoveryFn<File, H>,
        handle: H,
    ) -> io::Result<Cover<File, H>> {
        let path = path.as_ref();
        let file = self.first_open(path, options)?;
        self.cover_file(file, path, recovery, handle)
    }

    /// Creates (or truncates) `path` for writing and covers it (QNX's `ha_creat`).
    /// Recovery reopens it without truncating.
    pub fn create<H: Recoverable>(
        self,
        path: impl AsRef<Path>,
        recovery: impl RecoveryFn<File, H>,
        handle: H,
    ) -> io::Result<Cover<File, H>> {
        let path = path.as_ref();
        let options = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .clone();
        let file = self.first_open(path, &options)?;
        self.cover_file(file, path, recovery, handle)
    }

    /// Connects to the Unix socket at `path` and covers the stream.
    pub fn connect_unix<H: Recoverable>(
        self,
        path: impl AsRef<Path>,
        recovery: impl RecoveryFn<UnixStream, H>,
        handle: H,
    ) -> io::Result<Cover<UnixStream, H>> {
        let path = std::path::absolute(path)?;
        let origin = Origin::Socket(Peer::unix(&path)?);
        let stream =
            crate::first::blocking(&self.first, Kind::Socket, &self.policy, &origin, || {
                UnixStream::connect(&path)
            })?;
        self.assemble(stream, origin, Box::new(recovery), handle)
    }

    /// Connects to a TCP address and covers the stream. Recovery reconnects to
    /// the address that accepted this connection.
    pub fn connect_tcp<H: Recoverable>(
        self,
        addr: impl ToSocketAddrs,
        recovery: impl RecoveryFn<TcpStream, H>,
        handle: H,
    ) -> io::Result<Cover<TcpStream, H>> {
        let addrs: Vec<_> = addr.to_socket_addrs()?.collect();
        let stream = crate::first::blocking(
            &self.first,
            Kind::Socket,
            &self.policy,
            &Origin::Unknown,
            || TcpStream::connect(&addrs[..]),
        )?;
        let origin = Origin::Socket(Peer::Tcp(stream.peer_addr()?));
        self.assemble(stream, origin, Box::new(recovery), handle)
    }

    /// Covers a connection that is already open (QNX's `ha_attach`). Its origin is
    /// found from the connection (a file's path and flags, a socket's peer) unless
    /// given with [`origin`](Self::origin).
    pub fn attach<C: Connection, H: Recoverable>(
        self,
        conn: C,
        recovery: impl RecoveryFn<C, H>,
        handle: H,
    ) -> io::Result<Cover<C, H>> {
        let origin = match &self.origin {
            Some(origin) => origin.clone(),
            None => conn.origin(),
        };
        let mut builder = self;
        builder.first.made_by_builder = false;
        builder.assemble(conn, origin, Box::new(recovery), handle)
    }

    fn cover_file<H: Recoverable>(
        self,
        file: File,
        path: &Path,
        recovery: impl RecoveryFn<File, H>,
        handle: H,
    ) -> io::Result<Cover<File, H>> {
        let origin = Origin::of_descriptor(file.as_fd(), Some(path));
        self.assemble(file, origin, Box::new(recovery), handle)
    }

    fn assemble<C: Connection, H: Recoverable>(
        self,
        conn: C,
        origin: Origin,
        recovery: Box<dyn Recover<C, H>>,
        handle: H,
    ) -> io::Result<Cover<C, H>> {
        let Builder {
            policy,
            sink,
            name,
            origin: _,
            discovery,
            first,
            front: _,
        } = self;
        let mut recovery = match Discovery::for_sync::<C>(discovery)? {
            Some(discovery) => Box::new(Rediscover {
                discovery,
                recovery,
                current: origin.peer().cloned(),
            }),
            None => recovery,
        };
        let mut handle = handle;
        let mut conn = conn;
        if first.made_by_builder && first.on_connect.unwrap_or(H::ON_CONNECT) {
            conn = crate::first::through_recovery(
                &mut *recovery,
                conn,
                &origin,
                &mut handle,
                &policy,
            )?;
        }
        let mut identity = None;
        let mut off_end = false;
        if C::KIND == Kind::File
            && let Some(fd) = conn.descriptor()
        {
            identity = Identity::capture(policy.identity, fd)?;
            let position = if origin.is_append() {
                // O_APPEND writes go to the end whatever the position; keeping the
                // position there lets a recovery tell whether a failed append
                // landed. A file read too stays where its reads are.
                let (position, end) = sys::place_append(fd)?;
                off_end = position != end;
                position
            } else {
                // An attached file may have been read from already.
                sys::position(fd).unwrap_or(0)
            };
            if position != 0 {
                // The handle starts where the connection is, as if it had seen it
                // get there.
                handle.on_transfer(Transfer::Seeked(position));
            }
        }
        let mut group = Group::new(Config {
            kind: C::KIND,
            append: origin.is_append(),
            policy,
            sink,
            seed: random_seed(),
            name,
            target: origin.target(),
        });
        if off_end {
            // Not where the last append ended: no "did it land" from the
            // size until a recovery or an append puts it there.
            group.note_seek();
        }
        let ext = Ext {
            handle: Some(handle),
            recovery: Some(recovery),
            origin,
            identity,
            latest: Latest::default(),
            replay_writer: None,
        };
        Ok(Cover::assemble(conn, group, ext))
    }
}

impl Cover<File> {
    /// A [`Builder`], to choose the policy before opening a file or connecting
    /// a socket: `Cover::builder().attempts(5).connect_unix(...)` makes a
    /// `Cover<UnixStream, _>` (the same as [`Builder::new`]).
    pub fn builder() -> Builder {
        Builder::new()
    }
}

impl<H: Recoverable> Cover<File, H> {
    /// Opens `path` read-only and covers it with the default policy (QNX's
    /// `ha_open(path, O_RDONLY, rfn, rhdl, 0)`).
    pub fn open(
        path: impl AsRef<Path>,
        recovery: impl RecoveryFn<File, H>,
        handle: H,
    ) -> io::Result<Self> {
        Builder::new().open(path, recovery, handle)
    }

    /// Opens `path` with `options` and covers it with the default policy.
    pub fn open_with(
        path: impl AsRef<Path>,
        options: &OpenOptions,
        recovery: impl RecoveryFn<File, H>,
        handle: H,
    ) -> io::Result<Self> {
        Builder::new().open_with(path, options, recovery, handle)
    }

    /// Creates `path` and covers it with the default policy (QNX's `ha_creat`).
    pub fn create(
        path: impl AsRef<Path>,
        recovery: impl RecoveryFn<File, H>,
        handle: H,
    ) -> io::Result<Self> {
        Builder::new().create(path, recovery, handle)
    }
}

impl<H: Recoverable> Cover<UnixStream, H> {
    /// Connects to a Unix socket and covers it with the default policy.
    pub fn connect_unix(
        path: impl AsRef<Path>,
        recovery: impl RecoveryFn<UnixStream, H>,
        handle: H,
    ) -> io::Result<Self> {
        Builder::new().connect_unix(path, recovery, handle)
    }
}

impl<H: Recoverable> Cover<TcpStream, H> {
    /// Connects to a TCP address and covers it with the default policy.
    pub fn connect_tcp(
        addr: impl ToSocketAddrs,
        recovery: impl RecoveryFn<TcpStream, H>,
        handle: H,
    ) -> io::Result<Self> {
        Builder::new().connect_tcp(addr, recovery, handle)
    }
}

impl<C: Connection, H: Recoverable> Cover<C, H> {
    /// Covers an open connection with the default policy (QNX's `ha_attach`).
    pub fn attach(conn: C, recovery: impl RecoveryFn<C, H>, handle: H) -> io::Result<Self> {
        Builder::new().attach(conn, recovery, handle)
    }
}

/// A seed for a group's backoff jitter, different for every call. std's `RandomState` is seeded from the
/// OS once per thread and varies per instance: enough for clients that lost
/// the same server not to draw the same jitter.
pub fn random_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish()
}
