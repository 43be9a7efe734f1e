//! The recovery engine of [ha-cover]: everything that decides what happens
//! after the server behind a connection dies, as a deterministic state machine
//! with no I/O.
//!
//! It makes no system call, reads no clock (time is passed in) and starts no
//! thread, in the manner of quinn-proto, h2 and rustls. Front ends drive it:
//! ha-cover's sync `Cover`, its tokio `AsyncCover`, and ha-cover-c, QNX's
//! `<ha/cover.h>` on Linux. A front end does only what is its own: run the
//! operation, call the recovery function, wait for the server (a blocking or an
//! async watcher), install the new connection. What the engine owns:
//!
//! - classifying a result ([`Classifier`]): done, interrupted, an error to pass
//!   on, or a server that died;
//! - the group protocol ([`Group::settle`]): one recovery at a time for a
//!   connection and its dups; who recovers, who waits, who catches up;
//! - the recovery cycle ([`Recovery`]): attempts, per-failure and total limits,
//!   the deadline, backoff and flapping, suspension;
//! - what becomes of each operation under way ([`Group::decide`]): sent again,
//!   landed, or indeterminate; the unanswered bytes of a socket ([`Ledger`])
//!   and their replay;
//! - counters ([`Stats`]) and [`Event`]s, and, with the `tracing` feature,
//!   their log (a span per recovery, bounded progress lines), with the
//!   `metrics` feature, their metrics (see below).
//!
//! [`Shared`] is a group shared by several members, with the synchronization
//! the protocol needs (built on loom's types under `--cfg loom`, so that loom
//! can check it).
//!
//! # Driving it
//!
//! ```
//! use std::time::Instant;
//! use ha_cover_engine::{Action, Cause, Config, Failed, Group, Kind, Next, OpInfo, OpKind,
//!     Policy, Restored, Role};
//!
//! let mut group = Group::new(Config {
//!     kind: Kind::File,
//!     append: false,
//!     policy: Policy::default(),
//!     sink: None,
//!     seed: 1,
//!     name: None,
//!     target: ha_cover_engine::Target::Unknown,
//! });
//! let mut member = group.member();
//! let op = OpInfo::new(OpKind::Read, 0);
//! // A read failed with ENOTCONN: the server died.
//! let cause = Cause::Error(std::io::Error::from_raw_os_error(libc::ENOTCONN));
//! let failed = Failed { op, cause: &cause, retransmission: false, inside_recovery: false, descriptor: None };
//! let Role::Recover(mut recovery) = group.settle(&mut member, Some(failed), Instant::now()) else {
//!     unreachable!("a sole member recovers")
//! };
//! loop {
//!     match recovery.next(&mut group, Instant::now()) {
//!         // Call the recovery function (here it reopens the file), and say what it gave.
//!         Action::Attempt(_) => recovery.restored(&mut group, Restored::default(), Instant::now()),
//!         Action::Install => recovery.installed(&mut group, Instant::now()),
//!         Action::Done => break,
//!         other => unreachable!("{other:?}"),
//!     }
//! }
//! // Settle again: move to the new connection, and learn what becomes of the read.
//! assert!(matches!(group.settle(&mut member, None, Instant::now()), Role::Move));
//! assert!(matches!(group.decide(&mut member, op, Some(cause)), Next::Resend));
//! assert_eq!(group.stats().recoveries, 1);
//! ```
//!
//!
//! # Features
//! - `tracing`: every [`Event`] is also logged through the `tracing` crate,
//!   under the target `ha_cover`, as it is told to the sink (ha-cover's own
//!   `tracing` feature turns this on).
//! - `metrics`: every [`Event`] also updates counters, a downtime histogram
//!   and a gauge of connections recovering through the `metrics` facade
//!   (ha-cover's own `metrics` feature turns this on).
//!
//! [ha-cover]: https://docs.rs/ha-cover

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod cause;
mod classify;
mod connection;
mod errno;
mod error;
mod event;
mod group;
mod human;
#[cfg(feature = "metrics")]
mod metrics;
mod op;
mod outage;
mod pacing;
mod policy;
mod recovery;
mod retransmit;
mod shared;
mod sync;
#[cfg(feature = "tracing")]
mod trace;
mod triggers;
mod unanswered;

pub use cause::Cause;
pub use classify::{Classified, Classifier, Probe};
pub use connection::{ConnectionInfo, Target};
pub use errno::errno_name;
pub use error::{
    AttemptError, IdentityChanged, Indeterminate, RecoveryError, Unrecovered, is_indeterminate,
    os_error,
};
pub use event::{Event, EventKind, EventSink, Events, Stats, WaitingFor};
pub use group::{Config, Failed, Group, Member, Next, Role};
pub use human::Human;
pub use op::{Kind, OpInfo, OpKind};
pub use pacing::{BackoffState, Carry, Counters, Cycle, Step};
pub use policy::{Backoff, DEFAULT_DEADLINE, IdentityCheck, Policy, Progress, WritePolicy};
pub use recovery::{Action, Attempt, Recovery, Restored};
pub use retransmit::{FileFacts, Resume, StreamFacts, after_recovery};
#[cfg(not(loom))]
pub use shared::Held;
pub use shared::{Guard, Inner, Shared};
pub use triggers::Triggers;
pub use unanswered::Ledger;
