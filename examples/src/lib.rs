//! What the examples and the real-server tests of ha-cover share, beyond the
//! world they run in (the `ha-cover-world` crate: servers that really die and
//! the supervisor that restarts them).
//!
//! [`discovery`]: engines that say where a server went (Redis Sentinel);
//! [`redis_session`]: a Redis client session over covered connections;
//! [`ride`]: a client riding through failovers, and the judge of its record;
//! [`bench`](mod@bench): the figures of `bench-report`.

#![warn(missing_docs)]

pub mod bench;
pub mod discovery;
pub mod redis_session;
pub mod ride;
