//! Typed covers: the runtime side of `#[ha_connection(...)]`.
//!
//! The attribute turns a unit struct into a newtype over [`TypedCover`] and
//! implements [`Declaration`] for it: the connection type, the handle, the
//! declared recovery and policy, and two marker types, the connection's
//! [kind] and its access [mode]. What the cover can do is then
//! decided by the type system: [`TypedCover`]'s I/O methods ask the markers for
//! a capability ([`Reads`](crate::checks::Reads),
//! [`Writes`](crate::checks::Writes), [`HasPosition`](crate::checks::HasPosition),
//! [`Seeks`](crate::checks::Seeks), [`Positioned`](crate::checks::Positioned),
//! [`Syncs`](crate::checks::Syncs), in [`checks`](crate::checks) with the
//! macros' other compile-time checks: no code of yours names them),
//! and a marker without it makes the call a compile error whose message is a
//! sentence about the declaration ("`TestFile` is declared `mode = read_only`, so
//! it cannot write"). The std traits (`Read`, `Write`, `Seek`) are implemented by
//! the attribute on the struct itself, only where the declaration allows them.
//!
//! With the `tokio` feature, `#[ha_connection(..., asynchronous)]` declares an
//! async typed cover the same way: `AsyncDeclaration`, `AsyncTypedCover`, and
//! async capabilities of kinds (`AsyncSeeks`, `AsyncPositioned`,
//! `AsyncSyncs`); the kinds, the modes and the mode capabilities are shared.

#[cfg(all(feature = "tokio", not(loom)))]
pub(crate) mod asynchronous;
pub(crate) mod capability;
mod declaration;
pub(crate) mod declaration_checks;
mod io;
pub mod kind;
pub mod mode;
mod typed_cover;
pub(crate) mod unavailable;

pub use declaration::Declaration;
pub use typed_cover::TypedCover;

#[cfg(all(feature = "tokio", not(loom)))]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub use asynchronous::{AsyncDeclaration, AsyncOp, AsyncTypedCover};

/// What the code `#[ha_connection(..., asynchronous)]` writes names.
#[cfg(all(feature = "tokio", not(loom)))]
pub(crate) use asynchronous::generated as async_generated;

/// What the code `#[ha_connection]` writes names, re-exported by
/// `ha_cover::__private_<version>` so it never depends on what the user's
/// crate has in scope.
pub(crate) mod generated {
    pub use super::capability::{HasPosition, Reads, Seeks, Writes};
    pub use super::declaration::Declaration;
    pub use super::declaration_checks::{
        AppendRecovery, BuiltinReconnect, BuiltinReopen, BuiltinReopenSeek, KindIs, ProbeFine,
        ProbeGeneric, ProbeSeeksBack, StrategyProbe, WriterRecovery, check_append, check_file,
        check_file_kind, check_socket, check_socket_kind, check_writer, is_file, recover_file,
        recover_reopen_seek, recover_socket,
    };
    pub use super::kind::{self, ConnectionKind};
    pub use super::mode::{self, AccessMode};
    pub use super::typed_cover::{
        TypedCover, attach, connect_tcp, connect_unix, create, open, open_with,
    };
    pub use super::unavailable::{Asynchronous, Blocking, Connects, Creates, Excluded};
    pub use crate::builder::Builder;
    pub use crate::connection::WriteConnection;
    pub use crate::cover::Cover;
    pub use crate::recovery::{reconnect as recover_reconnect, reopen as recover_reopen};
    pub use crate::strategy::by_handle;
    pub use ha_cover_engine::Triggers;
    pub use ha_cover_engine::{Backoff, WritePolicy};
    pub use std::time::Duration;
}
