//! Discovery engines: services that say where a server went, plugged into
//! ha-cover's discovery hook ([`ha_cover::Discover`], and
//! `#[recoverable(strategy = reconnect, discover = ...)]`).
//!
//! [`Sentinel`] is Redis Sentinel's. Others fit the same hook the same way: a
//! DNS SRV lookup returns its targets by priority, etcd or Consul the key or
//! the healthy instances, each with a watch (or a blocking query) as the
//! wake-up where [`Sentinel`] has the sentinels' pub/sub news.

pub mod sentinel;

pub use sentinel::{Announcement, Sentinel};
