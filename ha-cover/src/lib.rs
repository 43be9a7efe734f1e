//! High-availability I/O for clients: connections that recover when the server
//! behind them dies, and retransmit the operation that failed.
//!
//! When the daemon of a FUSE filesystem is killed and restarted, every open
//! descriptor on its mount returns `ENOTCONN` for good; an NFS server that comes
//! back makes descriptors `ESTALE`; a restarted socket server leaves its clients
//! with EOF, `EPIPE` or `ECONNRESET`. A [`Cover`] notices, runs the client's
//! recovery function (reopen and seek back, reconnect and replay a handshake, fail
//! over to a replica...), puts the new connection in place, and retransmits the
//! failed operation, so the caller's `read` or `write`
//! just succeeds. It is the Rust heir of QNX's HA client recovery library
//! (`<ha/cover.h>`).
//!
//! ```no_run
//! use std::io::{Read, Seek, SeekFrom};
//! use ha_cover::{AttemptError, Cover, Failure, Recoverable, Transfer};
//! use std::fs::File;
//!
//! // QNX's example handle: a count of recoveries and the offset to seek back to.
//! #[derive(Default)]
//! struct Handle { nr: u32, curr_offset: u64 }
//!
//! impl Recoverable for Handle {
//!     fn on_transfer(&mut self, t: Transfer<'_>) {
//!         if let Transfer::Read(bytes) = t { self.curr_offset += bytes.len() as u64 }
//!     }
//! }
//!
//! fn recover_conn(failure: &Failure<'_, File>, hdl: &mut Handle) -> Result<File, AttemptError> {
//!     let mut file = failure.reopen()?;               // ha_reopen(oldfd, TESTFILE, O_RDONLY)
//!     file.seek(SeekFrom::Start(hdl.curr_offset))?;   // lseek to the known point
//!     hdl.nr += 1;
//!     Ok(file)
//! }
//!
//! # fn main() -> std::io::Result<()> {
//! let mut fd = Cover::open("/net/machine99/home/test/testfile", recover_conn, Handle::default())?;
//! let mut buf = [0; 15];
//! fd.read(&mut buf)?;
//! let fd2 = fd.dup()?;
//! // ... the server dies and is restarted ...
//! fd.read(&mut buf)?; // recovers through recover_conn
//! println!("total recoveries, {}", fd.with_handle(|h| h.nr));
//! # Ok(()) }
//! ```
//!
//! # What a cover guarantees
//! 1. Opt-in per connection: nothing else in the process changes.
//! 2. An operation that fails with a trigger error is retransmitted after a
//!    successful recovery, with the same arguments. Reads lose and repeat nothing.
//! 3. Writes are retransmitted only where that is idempotent: file writes when the
//!    recovered connection is at the dead one's position, positioned writes always
//!    (except on a file opened `O_APPEND`, where Linux appends them: one that met
//!    a death is [`Indeterminate`]); appends only after the file size shows the
//!    failed write did not land (a write that did land reports success). Sockets
//!    follow a [`WritePolicy`].
//! 4. Recovery never widens what the client had: a reopen drops `O_CREAT`,
//!    `O_EXCL`, `O_TRUNC`, keeps the access mode, adds `O_CLOEXEC`, and can verify
//!    the path still names the same file ([`IdentityCheck`]).
//! 5. One recovery per failure for a connection and all its [dups](Cover::dup),
//!    whatever the number of threads; the others wait and resend. No recursion
//!    from inside a recovery function.
//! 6. Limits per failure and in total, a deadline, backoff with jitter,
//!    suspend/enable, and a replaceable recovery function. When recovery ends
//!    without success the caller gets the original error (same `raw_os_error`).
//! 7. No leaks: the dead connection is closed.
//! 8. The path with no failure is the system call: no allocation, no lock, no
//!    atomic read-modify-write, no extra system call. One exception, chosen:
//!    dups of a connection whose handle follows transfers (`#[ha(offset)]`)
//!    share that handle, and update it under an uncontended lock so that it
//!    matches the kernel's shared position (see [`Recoverable`]), as do
//!    reads and writes at a file's position through `&Cover` for such a
//!    handle. Appends and socket writes through `&Cover` go one at a time,
//!    under a lock, as do a dup'ed cover's appends through `&mut self`,
//!    an async cover's appends, and positioned writes to a file opened
//!    `O_APPEND`, which Linux appends (the group's members share one slot:
//!    what became of an append that met a death is read from the file's
//!    growth, which must be its own; a positioned one that succeeds also
//!    takes the group's lock, to note that it left the position off the
//!    end), and a socket write counts its bytes under the group's
//!    lock, which the read that answers them takes too (see `Write` for
//!    `&Cover`). Otherwise a dup'ed cover adds one atomic load, and a call
//!    through `&self` one more (the count of recoveries made through
//!    `&self`).
//!
//! # Logs, events and metrics
//! A recovery says when it starts, that it goes on (after 1 s, then every
//! 5 s: [`Builder::progress`]), and when it ends, with its downtime or the
//! reason it gave up: as [`Event`]s to [`Builder::on_event`] (each displays
//! as one line naming the connection: [`Builder::name`], or its path or
//! peer); with the `tracing` feature, as lines in one `ha_cover::recovery`
//! span per recovery (fields `name`, `path` or `peer`, `kind`, `fd`,
//! `cause`, `generation`; each failed attempt at TRACE); with the `metrics`
//! feature, through the `metrics` facade: `ha_cover_failures_total`,
//! `ha_cover_recoveries_total`, `ha_cover_give_ups_total` (by `reason`),
//! `ha_cover_indeterminate_total`, `ha_cover_retransmitted_bytes_total`,
//! the histogram `ha_cover_downtime_seconds` (by `outcome`) and the gauge
//! `ha_cover_recovering`, labelled with `kind` and `connection` (the name).
//! Under `tracing_subscriber::fmt()` an outage of a FUSE server reads:
//!
//! ```text
//! WARN recovery{name="testfile" path=/mnt/fuse/testfile kind=file fd=3 cause=ENOTCONN generation=0}: ha_cover: connection lost; recovering
//! WARN recovery{...}: ha_cover: still recovering elapsed=1.00s attempts=14 waiting_for=mount
//! WARN recovery{...}: ha_cover: still recovering elapsed=6.00s attempts=64 waiting_for=mount
//! INFO recovery{...}: ha_cover: connection recovered outcome=recovered downtime=7.31s attempts=75
//! ```
//!
//! # Declared connections
//! [`#[derive(Recoverable)]`][derive-recoverable] writes a handle's state
//! capture and recovery from its fields, and
//! [`#[ha_connection(...)]`][ha-connection] declares a connection type in
//! one place (kind, access mode, handle, policy) whose misuse is a compile
//! error: a `mode = read_only` file has no `write`, a socket no `seek`.
//!
//! # Triggers
//! By default files recover on `ENOTCONN` (a FUSE daemon died), `ECONNABORTED` (a
//! FUSE request was in flight when it died), `ESTALE` (NFS) and `EBADF` (not when
//! `EBADF` only means the file was not opened for that access); sockets also on
//! `ECONNRESET`, `EPIPE`, `ESHUTDOWN`, `ENETRESET`, `ETIMEDOUT`, and on EOF (a
//! protocol whose server closes the connection to end its answer turns that off:
//! [`Builder::eof_is_failure`]). `EINTR` is retried in place. Every other error is
//! returned unchanged.
//! Sockets are written with `MSG_NOSIGNAL`, so a dead peer never raises `SIGPIPE`.
//!
//! # Features
//! - `derive` (on by default): the macros
//!   [`#[derive(Recoverable)]`][derive-recoverable] and
//!   [`#[ha_connection]`][ha-connection], from the `ha-cover-derive`
//!   crate.
//! - `tokio`: the [`asynchronous`][asynchronous] module, async covers over tokio's `AsyncRead`,
//!   `AsyncWrite` and `AsyncSeek` (`AsyncCover`, async typed covers), and the
//!   async forms of the macros (`after_async`, `discover_async`,
//!   `#[ha_connection(..., asynchronous)]`).
//! - `fault-injection`: the [`fault`][fault] module, a connection that fails at
//!   scripted points as a dying server would, to test recovery code (yours)
//!   without killing a server.
//! - `tracing`: recoveries are logged through the `tracing` crate, under the
//!   target `ha_cover`: a span per recovery (the connection, the cause, the
//!   generation), in it a `warn` line when the connection is lost, a bounded
//!   number of "still recovering" lines, and an `info` line when it is back or
//!   an `error` line when recovery gives up; each attempt at `trace`. Without
//!   it, events reach only the sink given to [`Builder::on_event`].
//! - `metrics`: counters, a downtime histogram and a gauge of connections
//!   recovering, through the `metrics` facade (the names are listed under
//!   [Logs, events and metrics](#logs-events-and-metrics)); any `metrics`
//!   recorder collects them.
//!

// The items of a feature left out are linked on docs.rs, built with every
// feature, so that the documentation of any build has no dead links.
#![cfg_attr(feature = "derive", doc = "[derive-recoverable]: derive@Recoverable")]
#![cfg_attr(feature = "derive", doc = "[ha-connection]: macro@ha_connection")]
#![cfg_attr(
    not(feature = "derive"),
    doc = "[derive-recoverable]: https://docs.rs/ha-cover/latest/ha_cover/derive.Recoverable.html"
)]
#![cfg_attr(
    not(feature = "derive"),
    doc = "[ha-connection]: https://docs.rs/ha-cover/latest/ha_cover/attr.ha_connection.html"
)]
#![cfg_attr(
    all(feature = "tokio", not(loom)),
    doc = "[asynchronous]: mod@asynchronous"
)]
#![cfg_attr(
    not(all(feature = "tokio", not(loom))),
    doc = "[asynchronous]: https://docs.rs/ha-cover/latest/ha_cover/asynchronous/index.html"
)]
#![cfg_attr(feature = "fault-injection", doc = "[fault]: mod@fault")]
#![cfg_attr(
    not(feature = "fault-injection"),
    doc = "[fault]: https://docs.rs/ha-cover/latest/ha_cover/fault/index.html"
)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// `loom` is a test configuration (the loom models), not something a user chooses.
#![cfg_attr(docsrs, doc(auto_cfg(hide(loom))))]

mod builder;
mod connection;
mod control;
mod cover;
mod driver;
#[cfg(feature = "fault-injection")]
#[cfg_attr(docsrs, doc(cfg(feature = "fault-injection")))]
pub mod fault;
mod first;
mod fresh;
// For ha-cover-c and this crate's own tests: no stability promise, so out of
// the documentation.
#[cfg(all(feature = "tokio", not(loom)))]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub mod asynchronous;
mod background_close;
#[doc(hidden)]
pub mod frontend;
mod group;
mod handle;
mod io;
mod io_ref;
mod latest;
mod ops;
mod origin;
mod positioned;
mod recovery;
mod strategy;
mod sys;
pub mod typed;
mod wait;

pub use builder::{Blocking, Builder, RecoveryFn};
pub use connection::{
    Connection, FileConnection, Kind, Peer, SharedConnection, SocketConnection, SyncConnection,
    WriteConnection,
};
pub use control::Control;
pub use cover::Cover;
pub use ha_cover_engine::{
    AttemptError, Backoff, Cause, ConnectionInfo, Event, EventKind, IdentityChanged, IdentityCheck,
    Indeterminate, Progress, RecoveryError, Stats, Target, Triggers, Unrecovered, WaitingFor,
    WritePolicy, is_indeterminate, os_error,
};
pub use handle::{Recoverable, Transfer};
pub use origin::Origin;
pub use recovery::{Failure, Recover, never, reconnect, recover_with, reopen, reopen_seek};
pub use strategy::{
    Discover, HandleRecovery, IntoPeers, Lookup, ReconnectTarget, ReopenSeekTarget, ReopenTarget,
    by_handle,
};

#[cfg(feature = "derive")]
#[cfg_attr(docsrs, doc(cfg(feature = "derive")))]
#[doc = include_str!("strategy/derive.md")]
#[cfg_attr(all(feature = "tokio", not(loom)), doc = "")]
#[cfg_attr(all(feature = "tokio", not(loom)), doc = include_str!("strategy/derive_async.md"))]
pub use ha_cover_derive::Recoverable;

#[cfg(feature = "derive")]
#[cfg_attr(docsrs, doc(cfg(feature = "derive")))]
#[doc = include_str!("typed/ha_connection.md")]
#[cfg_attr(all(feature = "tokio", not(loom)), doc = "")]
#[cfg_attr(all(feature = "tokio", not(loom)), doc = include_str!("typed/ha_connection_async.md"))]
pub use ha_cover_derive::ha_connection;

/// What the code `#[derive(Recoverable)]` and `#[ha_connection]` write checks
/// a declaration against at compile time: the types a field with a role may
/// have, the signatures of hooks and recovery functions, what a connection
/// type of your own must implement for its declaration, which recoveries fit
/// which modes, and what each kind and mode allows (the capabilities the
/// methods of [`typed::TypedCover`] ask for: [`Reads`](checks::Reads),
/// [`Seeks`](checks::Seeks)...). Their names appear in the compile errors of a misused
/// macro, next to a sentence that says what to write instead; they are not
/// meant for your own code, and carry no stability promise.
pub mod checks {
    pub use crate::strategy::discover::discover;
    pub use crate::strategy::fields::{AddrField, OffsetField, PathField, RecoveriesField};
    pub use crate::strategy::signature::{AfterSignature, RecoverySignature, Unmatched};
    pub use crate::strategy::{HookError, after, with};
    pub use crate::typed::capability::{HasPosition, Positioned, Reads, Seeks, Syncs, Writes};
    pub use crate::typed::declaration_checks::*;
    pub use crate::typed::unavailable::{
        Asynchronous, Blocking, Connects, Creates, Duplicated, Excluded, Forwarded, method,
    };
    /// The recoveries of `#[recoverable(strategy = ...)]`.
    pub mod strategy {
        pub use crate::strategy::{reconnect, reopen, reopen_seek};
    }
    /// The async forms, for `#[ha_connection(..., asynchronous)]` and the
    /// derive's async hooks and strategies.
    #[cfg(all(feature = "tokio", not(loom)))]
    #[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
    pub mod asynchronous {
        pub use crate::asynchronous::generated::{
            AsyncAfterSignature, AsyncDiscoverHook, AsyncHookResult, AsyncRecoverySignature, after,
            as_is, discover, reconnect, reopen, reopen_seek, with,
        };
        pub use crate::typed::asynchronous::capability::{AsyncPositioned, AsyncSeeks, AsyncSyncs};
        pub use crate::typed::asynchronous::declaration_checks::*;
    }
}

// The macros name the runtime through a module named for this version
// (`__private_<major>_<minor>_<patch>`, as thiserror does), and ha-cover
// depends on ha-cover-derive at exactly its own version: code written by a
// derive of any other version names a module this runtime does not have, and
// does not compile, instead of compiling against internals it was not written
// for. Rename both modules when the version changes (the workspace's own uses
// of the macros fail to compile until they are).

/// The hidden module under the name the macros look for behind a
/// `crate = path`: a path that does not lead to ha-cover is then reported as
/// "could not find `ha_cover_runtime_0_1_0` in `path`", once, at the path.
#[doc(hidden)]
pub use self::__private_0_1_0 as ha_cover_runtime_0_1_0;

/// Paths for code generated by the macros. Not public API.
#[doc(hidden)]
pub mod __private_0_1_0 {
    pub use libc;
    pub use std;

    pub use crate::strategy::generated::*;
    pub use crate::typed::generated::*;

    /// What the async forms of the macros name, behind the `tokio` feature.
    #[cfg(all(feature = "tokio", not(loom)))]
    pub mod asynchronous {
        pub use crate::asynchronous::generated::*;
        pub use crate::typed::async_generated::*;
    }
}
