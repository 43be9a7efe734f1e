//! Async typed covers (feature `tokio`): the runtime side of
//! `#[ha_connection(..., asynchronous)]`.
//!
//! The same declaration as the sync form, with the same [kinds](super::kind),
//! [modes](super::mode) and mode capabilities ([`Reads`](crate::checks::Reads),
//! [`Writes`](crate::checks::Writes), [`HasPosition`](crate::checks::HasPosition)); what
//! differs is the cover ([`AsyncTypedCover`], over an
//! [`AsyncCover`](crate::asynchronous::AsyncCover)), the recovery (async), and the
//! capabilities of kinds, which carry async operations
//! ([`AsyncSeeks`](crate::checks::asynchronous::AsyncSeeks),
//! [`AsyncPositioned`](crate::checks::asynchronous::AsyncPositioned),
//! [`AsyncSyncs`](crate::checks::asynchronous::AsyncSyncs)).
//!
//! The I/O methods return an [`AsyncOp`], a future of a named type, rather
//! than being `async fn`s: rustc reports an unmet bound of an `async fn` at the
//! call, its argument and its `.await`, three times the one sentence about
//! the declaration; and a named future costs no allocation.

pub(crate) mod capability;
mod declaration;
pub(crate) mod declaration_checks;
mod io;
mod op;
mod typed_cover;

pub use declaration::AsyncDeclaration;
pub use op::AsyncOp;
pub use typed_cover::AsyncTypedCover;

/// What the code `#[ha_connection(..., asynchronous)]` writes names,
/// re-exported by `ha_cover::__private_<version>::asynchronous`.
pub(crate) mod generated {
    pub use super::capability::AsyncSeeks;
    pub use super::declaration::AsyncDeclaration;
    pub use super::declaration_checks::{
        AsyncProbeFine, AsyncProbeGeneric, AsyncProbeSeeksBack, AsyncStrategyProbe, KindIs,
        check_file_kind, check_seekable, check_socket_kind, is_file, recover_reopen_seek,
    };
    pub use super::typed_cover::{
        AsyncTypedCover, attach, connect_tcp, connect_unix, create, open, open_with,
    };
    pub use crate::asynchronous::{
        AsyncSeekConnection, File, reconnect as recover_reconnect, reopen as recover_reopen,
    };
    pub use ::tokio::io::{AsyncRead, AsyncSeek, AsyncWrite, ReadBuf};
    pub use ::tokio::net::{TcpStream, ToSocketAddrs, UnixStream};
    pub use std::pin::Pin;
    pub use std::task::{Context, Poll};
}
