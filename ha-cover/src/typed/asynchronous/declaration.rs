//! The trait `#[ha_connection(..., asynchronous)]` implements: an async
//! declaration as types.

use crate::asynchronous::{AsyncConnection, AsyncFailure, BoxFuture};
use crate::builder::Builder;
use crate::handle::Recoverable;
use ha_cover_engine::AttemptError;

use super::super::kind::ConnectionKind;
use super::super::mode::AccessMode;
use super::typed_cover::AsyncTypedCover;

/// Everything `#[ha_connection(..., asynchronous)]` declares about a
/// connection type: the async counterpart of
/// [`Declaration`](crate::typed::Declaration), with an async connection and
/// recovery.
///
/// The attribute implements it for the struct it is written on, which it turns
/// into a newtype over [`AsyncTypedCover<Self>`](AsyncTypedCover).
pub trait AsyncDeclaration: Sized + 'static {
    /// The async connection under the cover.
    type Connection: AsyncConnection;
    /// The client's handle; `()` when the declaration names none.
    type Handle: Recoverable;
    /// The declared [kind](super::super::kind).
    type Kind: ConnectionKind;
    /// The declared [mode](super::super::mode).
    type Mode: AccessMode;

    /// The declared type's name, for messages.
    const NAME: &'static str;

    /// The declared policy.
    fn policy() -> Builder;

    /// The declared recovery function.
    fn recover<'a>(
        failure: &'a AsyncFailure<'a, Self::Connection>,
        handle: &'a mut Self::Handle,
    ) -> BoxFuture<'a, Result<Self::Connection, AttemptError>>;

    /// Wraps a typed cover in the declared type.
    fn from_typed(typed: AsyncTypedCover<Self>) -> Self;
}
