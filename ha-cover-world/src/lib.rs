//! Servers that really die, and the supervisor that restarts them.
//!
//! Tests of ha-cover need a server behind a file or a socket that can be
//! SIGKILLed and brought back, the way QNX's HA manager restarts a resource
//! manager. Everything here is plain std I/O and does not use ha-cover, so the
//! world can be trusted independently of the library it tests.
//!
//! - [`Supervisor`] owns one server process: starts it, notices its death,
//!   cleans up after it, restarts it and waits until it is ready again.
//! - [`FuseServer`] runs a passthrough FUSE file system, either ours
//!   (`ha-fuse-server`, built with `fuser`) or Debian's `bindfs`.
//! - [`SocketServer`] runs `ha-socket-server` (echo, stream, counter).
//! - [`RedisServer`] runs `redis-server` with an fsynced append-only file.
//! - [`SentinelCluster`] runs a Redis primary, its replicas and the sentinels
//!   that fail it over, each a process on a loopback port.
//! - [`SshServer`] runs OpenSSH's sshd on a loopback port, and [`SshfsMount`]
//!   Debian's sshfs mounting a directory it serves.
//! - [`Chaos`] kills a supervised server at random moments.
//! - [`require()`] and [`require!`](macro@crate::require) skip a test whose
//!   component is missing (or fail it under `HA_COVER_REQUIRE_REAL=1`).
//!
//! - [`random_bytes`] and [`Rng`]: reproducible contents and timings;
//!   [`read_line`]: the socket server's lines, a byte at a time.
//!
//! Every launcher owns a temporary directory and a supervisor; dropping it
//! kills the server, unmounts what it mounted and removes the directory, so a
//! panicking test leaves nothing behind.
//!
//! The servers are this crate's binaries (`ha-fuse-server`,
//! `ha-socket-server`): tests find them next to their own executable, built
//! by cargo on demand ([`server_binary`]); examples can play them themselves
//! ([`serve_if_asked`]). The crate does not depend on ha-cover, so that
//! building the servers never turns on features of ha-cover: the tests of the
//! C library run it as `cargo build -p ha-cover-c` makes it.

#![warn(missing_docs)]

mod binaries;
mod chaos;
pub mod clock;
mod fuse;
pub mod fuse_fs;
pub mod fuse_main;
mod line;
pub mod mount;
pub mod mount_watch;
mod port;
mod redis;
pub mod redis_node;
mod require;
pub mod resp;
mod rng;
pub mod sentinel;
mod serve;
pub mod socket_main;
mod socket_server;
pub mod socket_service;
pub mod ssh_server;
pub mod sshfs;
pub mod stream;
mod supervisor;
pub mod switch_watch;

pub use binaries::server_binary;
pub use chaos::{Chaos, ChaosConfig, ChaosKill, ChaosReport};
pub use fuse::{FuseImpl, FuseServer};
pub use line::read_line;
pub use port::free_loopback_port;
pub use redis::RedisServer;
pub use redis_node::RedisNode;
pub use require::{Component, INSTALL_HINT, missing, require};
pub use rng::{Rng, random_bytes};
pub use sentinel::{Failover, Killed, SentinelCluster, SentinelConfig};
pub use serve::serve_if_asked;
pub use socket_server::{Endpoint, SocketMode, SocketServer};
pub use ssh_server::SshServer;
pub use sshfs::{SshfsMount, SshfsOptions};
pub use supervisor::{Cleanup, Incarnation, Readiness, ServerSpec, Supervisor, SupervisorHandle};
