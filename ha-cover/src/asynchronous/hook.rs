//! The functions an async declaration names by path: `after_async` hooks and
//! `with_async` (or `recovery = ...`) recovery functions, written as `async fn`.
//!
//! Checked as the sync ones are (see `strategy/signature.rs`): the runner takes
//! any `F: FnOnce(A, B) -> R` and asks the tuple `(A, B, R)` for the trait of
//! the function's role, whose message states the signature expected; the
//! result `R` must then be a future of the right output ([`AsyncHookResult`]).
//! The generated code calls the runners with its own borrows of the new
//! connection and the handle, so no `for<'a>` bound has to name the future of
//! an `async fn` for every lifetime. They return a boxed future, a type without
//! bounds of its own: an opaque one would have its function's bounds checked
//! again where it is awaited, and a wrong signature reported twice.

use std::future::Future;

use super::recover::{AsyncFailure, BoxFuture};
use crate::strategy::HookError;
use crate::strategy::signature::Unmatched;
use ha_cover_engine::AttemptError;

/// What an async hook or recovery function returns: a future of a `Result`
/// whose error is a [`HookError`].
#[diagnostic::on_unimplemented(
    message = "an async hook or recovery function returns a future of `Result<{T}, _>`, and this one returns `{Self}`",
    label = "not a future of `std::io::Result<{T}>`",
    note = "write it as an `async fn` returning `std::io::Result<{T}>` or `Result<{T}, ha_cover::AttemptError>`",
    note = "a plain `fn` is given as `after = ...` or `with = ...`, for sync covers"
)]
pub trait AsyncHookResult<T> {
    /// The function's error.
    type Error: HookError;
    /// The future itself.
    type Future: Future<Output = Result<T, Self::Error>>;
    /// The future itself.
    fn into_future(self) -> Self::Future;
}

#[diagnostic::do_not_recommend]
impl<T, E, Fut> AsyncHookResult<T> for Fut
where
    E: HookError,
    Fut: Future<Output = Result<T, E>>,
{
    type Error = E;
    type Future = Fut;

    fn into_future(self) -> Fut {
        self
    }
}

/// The signature of an `after_async` hook, as the tuple of its arguments and
/// result.
#[diagnostic::on_unimplemented(
    message = "an `after_async` hook is `async fn(&mut {C}, &mut {H}) -> std::io::Result<()>`, and this function is not",
    label = "its arguments and result are `{Self}`",
    note = "the hook gets the new connection, then the handle, both by `&mut`, and returns `std::io::Result<()>` or `Result<(), ha_cover::AttemptError>`",
    note = "a plain `fn` hook is given as `after = ...`, for sync covers",
    note = "`{C}` is the type named by `connection = ...`, or, without it, a parameter for every connection the strategy recovers: a hook for one type of connection needs `connection = ThatType`"
)]
pub trait AsyncAfterSignature<'c, 'h, C, H, F> {
    /// Runs the hook.
    fn call(hook: F, conn: &'c mut C, handle: &'h mut H)
    -> BoxFuture<'c, Result<(), AttemptError>>;
}

impl<'c, 'h: 'c, C, H, F, Fut> AsyncAfterSignature<'c, 'h, C, H, F> for (&'c mut C, &'h mut H, Fut)
where
    F: FnOnce(&'c mut C, &'h mut H) -> Fut,
    Fut: AsyncHookResult<()>,
    Fut::Future: Send + 'c,
{
    fn call(
        hook: F,
        conn: &'c mut C,
        handle: &'h mut H,
    ) -> BoxFuture<'c, Result<(), AttemptError>> {
        let future = hook(conn, handle).into_future();
        Box::pin(async move { future.await.map_err(HookError::into_attempt_error) })
    }
}

#[diagnostic::do_not_recommend]
impl<'c, 'h, C, H, F> AsyncAfterSignature<'c, 'h, C, H, F> for (Unmatched, Unmatched, Unmatched) {
    fn call(_: F, _: &'c mut C, _: &'h mut H) -> BoxFuture<'c, Result<(), AttemptError>> {
        unreachable!("no function takes `Unmatched`")
    }
}

/// The signature of an async recovery function (`with_async = ...` on a
/// handle, `recovery = ...` in an `asynchronous` declaration), as the tuple of
/// its arguments and result.
#[diagnostic::on_unimplemented(
    message = "an async recovery function is `async fn(&ha_cover::asynchronous::AsyncFailure<'_, {C}>, &mut {H}) -> std::io::Result<{C}>`, and this function is not",
    label = "its arguments and result are `{Self}`",
    note = "it gets the failure (whose `reopen()` or `reconnect()` makes the new connection), then the handle, and returns the new connection, in a `std::io::Result` or a `Result<_, ha_cover::AttemptError>`",
    note = "a plain `fn` recovers sync covers: give it as `with = ...`, or as the recovery of a declaration without `asynchronous`"
)]
pub trait AsyncRecoverySignature<'f, 'x, 'h, C, H, F> {
    /// Runs the function.
    fn call(
        function: F,
        failure: &'f AsyncFailure<'x, C>,
        handle: &'h mut H,
    ) -> BoxFuture<'f, Result<C, AttemptError>>;
}

impl<'f, 'x, 'h: 'f, C, H, F, Fut> AsyncRecoverySignature<'f, 'x, 'h, C, H, F>
    for (&'f AsyncFailure<'x, C>, &'h mut H, Fut)
where
    F: FnOnce(&'f AsyncFailure<'x, C>, &'h mut H) -> Fut,
    Fut: AsyncHookResult<C>,
    Fut::Future: Send + 'f,
{
    fn call(
        function: F,
        failure: &'f AsyncFailure<'x, C>,
        handle: &'h mut H,
    ) -> BoxFuture<'f, Result<C, AttemptError>> {
        let future = function(failure, handle).into_future();
        Box::pin(async move { future.await.map_err(HookError::into_attempt_error) })
    }
}

#[diagnostic::do_not_recommend]
impl<'f, 'x, 'h, C, H, F> AsyncRecoverySignature<'f, 'x, 'h, C, H, F>
    for (Unmatched, Unmatched, Unmatched)
{
    fn call(
        _: F,
        _: &'f AsyncFailure<'x, C>,
        _: &'h mut H,
    ) -> BoxFuture<'f, Result<C, AttemptError>> {
        unreachable!("no function takes `Unmatched`")
    }
}

/// Runs an `after_async` hook on the recovered connection; its error fails
/// the attempt (and the caller drops the new connection, closing it).
pub fn after<'c, 'h, C, H, F, A, B, R>(
    hook: F,
    conn: &'c mut C,
    handle: &'h mut H,
) -> BoxFuture<'c, Result<(), AttemptError>>
where
    F: FnOnce(A, B) -> R,
    (A, B, R): AsyncAfterSignature<'c, 'h, C, H, F>,
{
    <(A, B, R)>::call(hook, conn, handle)
}

/// Runs a `with_async` function (or an `asynchronous` declaration's
/// `recovery = ...`).
pub fn with<'f, 'x, 'h, C, H, F, A, B, R>(
    function: F,
    failure: &'f AsyncFailure<'x, C>,
    handle: &'h mut H,
) -> BoxFuture<'f, Result<C, AttemptError>>
where
    F: FnOnce(A, B) -> R,
    (A, B, R): AsyncRecoverySignature<'f, 'x, 'h, C, H, F>,
{
    <(A, B, R)>::call(function, failure, handle)
}
