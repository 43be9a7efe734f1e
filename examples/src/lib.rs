//! The world the examples and the real-server tests run in.
//!
//! See [`world`]: servers that really die (our FUSE file server, bindfs, a
//! Unix-socket server, redis, a Sentinel group) and the supervisor that
//! restarts them; [`discovery`] for engines that say where a server went
//! (Redis Sentinel), and [`redis_session`] for a Redis client session over
//! covered connections.

#![warn(missing_docs)]

pub mod bench;
pub mod discovery;
pub mod redis_session;
pub mod ride;
pub mod world;
