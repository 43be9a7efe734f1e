//! The signatures of the functions a declaration names by path (`after` hooks,
//! `with` and `recovery = ...` functions), checked so that a wrong one is one
//! sentence at the user's path stating the signature expected.
//!
//! The runners take the function as any `F: FnOnce(A, B) -> R`, which every
//! two-argument function is, and then ask the tuple `(A, B, R)` of its
//! argument and result types for the trait of its role. A bound such as
//! `F: FnOnce(&mut C, &mut H) -> Result<(), E>` would instead be reported
//! argument by argument ("type mismatch in function arguments"), and a fn
//! pointer coercion as a bare "mismatched types".
//!
//! Each trait has a second impl, for [`Unmatched`], which no function's
//! signature is: with one impl only, rustc would take its types as the
//! function's before looking at the function, and blame the function's
//! arguments again.

use crate::recovery::Failure;
use ha_cover_engine::AttemptError;

use super::HookError;

/// No function's argument or result: the second impl of each signature
/// trait (see the module's documentation).
#[derive(Debug)]
pub enum Unmatched {}

/// The signature of an `after` hook, as the tuple of its arguments and result.
#[diagnostic::on_unimplemented(
    message = "an `after` hook is `fn(&mut {C}, &mut {H}) -> std::io::Result<()>`, and this function is not",
    label = "its arguments and result are `{Self}`",
    note = "the hook gets the new connection, then the handle, both by `&mut`, and returns `std::io::Result<()>` or `Result<(), ha_cover::AttemptError>`",
    note = "an `async fn` hook is given as `after_async = ...`, for async covers",
    note = "`{C}` is the type named by `connection = ...`, or, without it, a parameter for every connection the strategy recovers: a hook for one type of connection needs `connection = ThatType`"
)]
pub trait AfterSignature<'c, 'h, C, H, F> {
    /// Runs the hook.
    fn call(hook: F, conn: &'c mut C, handle: &'h mut H) -> Result<(), AttemptError>;
}

impl<'c, 'h, C, H, E, F> AfterSignature<'c, 'h, C, H, F> for (&'c mut C, &'h mut H, Result<(), E>)
where
    E: HookError,
    F: FnOnce(&'c mut C, &'h mut H) -> Result<(), E>,
{
    fn call(hook: F, conn: &'c mut C, handle: &'h mut H) -> Result<(), AttemptError> {
        hook(conn, handle).map_err(HookError::into_attempt_error)
    }
}

#[diagnostic::do_not_recommend]
impl<'c, 'h, C, H, F> AfterSignature<'c, 'h, C, H, F> for (Unmatched, Unmatched, Unmatched) {
    fn call(_: F, _: &'c mut C, _: &'h mut H) -> Result<(), AttemptError> {
        unreachable!("no function takes `Unmatched`")
    }
}

/// The signature of a recovery function (`with = ...` on a handle,
/// `recovery = ...` in a declaration), as the tuple of its arguments and
/// result.
#[diagnostic::on_unimplemented(
    message = "a recovery function is `fn(&ha_cover::Failure<'_, {C}>, &mut {H}) -> std::io::Result<{C}>`, and this function is not",
    label = "its arguments and result are `{Self}`",
    note = "it gets the failure (whose `reopen()` or `reconnect()` makes the new connection), then the handle, and returns the new connection, in a `std::io::Result` or a `Result<_, ha_cover::AttemptError>`",
    note = "an `async fn` recovers async covers: give it as `with_async = ...`, or as the recovery of an `#[ha_connection(..., asynchronous)]` declaration"
)]
pub trait RecoverySignature<'f, 'x, 'h, C, H, F> {
    /// Runs the function.
    fn call(function: F, failure: &'f Failure<'x, C>, handle: &'h mut H)
    -> Result<C, AttemptError>;
}

impl<'f, 'x, 'h, C, H, E, F> RecoverySignature<'f, 'x, 'h, C, H, F>
    for (&'f Failure<'x, C>, &'h mut H, Result<C, E>)
where
    E: HookError,
    F: FnOnce(&'f Failure<'x, C>, &'h mut H) -> Result<C, E>,
{
    fn call(
        function: F,
        failure: &'f Failure<'x, C>,
        handle: &'h mut H,
    ) -> Result<C, AttemptError> {
        function(failure, handle).map_err(HookError::into_attempt_error)
    }
}

#[diagnostic::do_not_recommend]
impl<'f, 'x, 'h, C, H, F> RecoverySignature<'f, 'x, 'h, C, H, F>
    for (Unmatched, Unmatched, Unmatched)
{
    fn call(_: F, _: &'f Failure<'x, C>, _: &'h mut H) -> Result<C, AttemptError> {
        unreachable!("no function takes `Unmatched`")
    }
}

/// Runs an `after` hook on the recovered connection; its error fails the
/// attempt (and the caller drops the new connection, closing it).
pub fn after<'c, 'h, C, H, F, A, B, R>(
    hook: F,
    conn: &'c mut C,
    handle: &'h mut H,
) -> Result<(), AttemptError>
where
    F: FnOnce(A, B) -> R,
    (A, B, R): AfterSignature<'c, 'h, C, H, F>,
{
    <(A, B, R)>::call(hook, conn, handle)
}

/// Runs a `with` function, or a declaration's `recovery = ...`.
pub fn with<'f, 'x, 'h, C, H, F, A, B, R>(
    function: F,
    failure: &'f Failure<'x, C>,
    handle: &'h mut H,
) -> Result<C, AttemptError>
where
    F: FnOnce(A, B) -> R,
    (A, B, R): RecoverySignature<'f, 'x, 'h, C, H, F>,
{
    <(A, B, R)>::call(function, failure, handle)
}
