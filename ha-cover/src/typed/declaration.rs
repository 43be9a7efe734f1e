//! The trait `#[ha_connection]` implements: a declaration as types.

use crate::builder::Builder;
use crate::connection::Connection;
use crate::handle::Recoverable;
use crate::recovery::Failure;
use ha_cover_engine::AttemptError;

use super::kind::ConnectionKind;
use super::mode::AccessMode;
use super::typed_cover::TypedCover;

/// Everything `#[ha_connection(...)]` declares about a connection type, as types
/// and functions: what it connects to, how it may be used, how it recovers.
///
/// The attribute implements it for the struct it is written on, which it turns
/// into a newtype over [`TypedCover<Self>`](TypedCover). Implementing it by hand
/// is possible but gives up the attribute's checks.
pub trait Declaration: Sized + 'static {
    /// The connection under the cover.
    type Connection: Connection;
    /// The client's handle; `()` when the declaration names none.
    type Handle: Recoverable;
    /// The declared [kind](super::kind): `file`, `unix`, `tcp` or `socket`.
    type Kind: ConnectionKind;
    /// The declared [mode](super::mode).
    type Mode: AccessMode;

    /// The declared type's name, for messages.
    const NAME: &'static str;

    /// The declared policy: limits, backoff, deadline, triggers, EOF, writes.
    fn policy() -> Builder;

    /// The declared recovery function.
    fn recover(
        failure: &Failure<'_, Self::Connection>,
        handle: &mut Self::Handle,
    ) -> Result<Self::Connection, AttemptError>;

    /// Wraps a typed cover in the declared type.
    fn from_typed(typed: TypedCover<Self>) -> Self;
}
