//! A deterministic simulation of the recovery engine, driven as a fourth front
//! end (see `tests/simulation.rs`).

pub mod checks;
pub mod client;
pub mod clock;
pub mod conns;
pub mod drive;
pub mod faults;
pub mod frontend;
pub mod harness;
pub mod member;
pub mod ops;
pub mod oracle;
#[cfg(test)]
mod pinned;
pub mod recovery_fns;
pub mod rng;
pub mod scenarios;
pub mod server;
pub mod setup;
pub mod shrink;
pub mod tally;
pub mod world;
