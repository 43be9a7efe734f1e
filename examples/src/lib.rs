//! The world the examples and the real-server tests run in.
//!
//! See [`world`]: servers that really die (our FUSE file server, bindfs, a
//! Unix-socket server, redis) and the supervisor that restarts them.

#![warn(missing_docs)]

pub mod bench;
pub mod world;
