//! The functions an async declaration names by path: `after_async` hooks and
//! `with_async` (or `recovery = ...`) recovery functions, written as `async fn`.
//!
//! An `async fn`'s future borrows its arguments, so its type differs for every
//! lifetime it is called with, and no `Fn(..) -> Fut` bound with one `Fut` can
//! name it. Each trait below takes the lifetime as a parameter instead: a
//! function implements it for every lifetime (`for<'a>`) when it returns, for
//! each, a `Send` future of the right output. That also admits functions that
//! return a [`BoxFuture`](super::BoxFuture) themselves, such as any
//! [`AsyncRecover`](super::AsyncRecover) function.
//!
//! The runners are called by generated code at the user's path, with the
//! connection and handle types given, so a wrong signature is one error there:
//! "expected function that takes 2 arguments", "`Result<..>` is not a future",
//! "future cannot be sent between threads safely", "type mismatch in function
//! arguments", or the error type's own message.

use std::future::Future;

use super::recover::{AsyncFailure, BoxFuture};
use crate::strategy::HookError;
use ha_cover_engine::AttemptError;

/// An async `after` hook: `async fn(&mut C, &mut H) -> Result<(), E>`. Hidden;
/// see `after_async` in `#[derive(Recoverable)]`.
#[doc(hidden)]
pub trait AsyncAfterHook<'a, C: 'a, H: 'a, E> {
    /// What the hook returns.
    type Future: Future<Output = Result<(), E>> + Send + 'a;
    /// Calls it.
    fn call(self, conn: &'a mut C, handle: &'a mut H) -> Self::Future;
}

impl<'a, C: 'a, H: 'a, E, F, Fut> AsyncAfterHook<'a, C, H, E> for F
where
    F: FnOnce(&'a mut C, &'a mut H) -> Fut,
    Fut: Future<Output = Result<(), E>> + Send + 'a,
{
    type Future = Fut;

    fn call(self, conn: &'a mut C, handle: &'a mut H) -> Fut {
        self(conn, handle)
    }
}

/// An async recovery function:
/// `async fn(&AsyncFailure<'_, C>, &mut H) -> Result<C, E>`. Hidden; see
/// `with_async` in `#[derive(Recoverable)]` and `recovery = ...` in
/// `#[ha_connection(..., asynchronous)]`.
#[doc(hidden)]
pub trait AsyncRecoveryHook<'a, C: 'a, H: 'a, E> {
    /// What the function returns.
    type Future: Future<Output = Result<C, E>> + Send + 'a;
    /// Calls it.
    fn call(self, failure: &'a AsyncFailure<'a, C>, handle: &'a mut H) -> Self::Future;
}

impl<'a, C: 'a, H: 'a, E, F, Fut> AsyncRecoveryHook<'a, C, H, E> for F
where
    F: FnOnce(&'a AsyncFailure<'a, C>, &'a mut H) -> Fut,
    Fut: Future<Output = Result<C, E>> + Send + 'a,
{
    type Future = Fut;

    fn call(self, failure: &'a AsyncFailure<'a, C>, handle: &'a mut H) -> Fut {
        self(failure, handle)
    }
}

/// Runs an `after_async` hook on the recovered connection; its error fails the
/// attempt (and the new connection is dropped, closing it).
#[doc(hidden)]
pub fn after<'h, C, H, E, F>(
    hook: F,
    mut fresh: C,
    handle: &'h mut H,
) -> BoxFuture<'h, Result<C, AttemptError>>
where
    C: Send + 'h,
    H: Send,
    E: HookError,
    F: for<'a> AsyncAfterHook<'a, C, H, E> + Send + 'h,
{
    Box::pin(async move {
        hook.call(&mut fresh, handle)
            .await
            .map_err(HookError::into_attempt_error)?;
        Ok(fresh)
    })
}

/// Runs a `with_async` function (or a declaration's `recovery = ...`).
#[doc(hidden)]
pub fn with<'a, C, H, E, F>(
    function: F,
    failure: &'a AsyncFailure<'a, C>,
    handle: &'a mut H,
) -> BoxFuture<'a, Result<C, AttemptError>>
where
    C: 'a,
    H: 'a,
    E: HookError,
    F: AsyncRecoveryHook<'a, C, H, E>,
{
    let attempt = function.call(failure, handle);
    Box::pin(async move { attempt.await.map_err(HookError::into_attempt_error) })
}
