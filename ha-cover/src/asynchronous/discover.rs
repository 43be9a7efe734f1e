//! Discovery for async covers: the async form of [`Discover`](crate::Discover),
//! the builder's wrapper around any async recovery function, and what
//! `discover_async = ...` expands to.

use std::future::Future;

use super::recover::{AsyncFailure, AsyncRecover, BoxFuture};
use super::targets::AsyncReconnectTarget;
use crate::connection::Peer;
use crate::origin::Origin;
use crate::strategy::{HookError, IntoPeers, Lookup, none_took};
use ha_cover_engine::AttemptError;

/// The async form of [`Discover`](crate::Discover): a service that says where
/// a server is, asked on every recovery attempt of an async cover built with
/// [`AsyncCover::builder`](crate::asynchronous::AsyncCover::builder) and its `discover`. It may wait
/// (for the engine to announce a change), within the
/// [deadline](Lookup::deadline).
///
/// ```no_run
/// use std::net::SocketAddr;
/// use ha_cover::{AttemptError, Lookup, Peer};
/// use ha_cover::asynchronous::{AsyncCover, AsyncDiscover, BoxFuture};
///
/// /// Reads the primary's address from a file a cluster manager keeps.
/// struct Registry(std::path::PathBuf);
///
/// impl AsyncDiscover for Registry {
///     fn discover<'a>(&'a mut self, _: &'a Lookup<'a>) -> BoxFuture<'a, Result<Vec<Peer>, AttemptError>> {
///         Box::pin(async move {
///             let text = tokio::fs::read_to_string(&self.0).await?;
///             let addr: SocketAddr = text.trim().parse().map_err(std::io::Error::other)?;
///             Ok(vec![Peer::Tcp(addr)])
///         })
///     }
/// }
///
/// # async fn f() -> std::io::Result<()> {
/// let db = AsyncCover::builder()
///     .discover(Registry("/run/cluster/primary".into()))
///     .connect_tcp("10.0.0.1:6379", ha_cover::asynchronous::reconnect, ())
///     .await?;
/// # Ok(()) }
/// ```
pub trait AsyncDiscover: Send + 'static {
    /// The addresses to try for this attempt, in order.
    fn discover<'a>(
        &'a mut self,
        lookup: &'a Lookup<'a>,
    ) -> BoxFuture<'a, Result<Vec<Peer>, AttemptError>>;
}

impl<F> AsyncDiscover for F
where
    F: for<'a> FnMut(&'a Lookup<'a>) -> BoxFuture<'a, Result<Vec<Peer>, AttemptError>>
        + Send
        + 'static,
{
    fn discover<'a>(
        &'a mut self,
        lookup: &'a Lookup<'a>,
    ) -> BoxFuture<'a, Result<Vec<Peer>, AttemptError>> {
        self(lookup)
    }
}

/// A builder's async discovery, shared by every cover made from the builder
/// and its clones (one lookup at a time: they ask the same service).
pub(crate) type SharedAsyncDiscover = std::sync::Arc<tokio::sync::Mutex<Box<dyn AsyncDiscover>>>;

/// The builder's async discovery around any async recovery function: each
/// discovered address becomes the origin the recovery function sees.
pub(crate) struct AsyncRediscover<C, H> {
    pub(crate) discovery: SharedAsyncDiscover,
    pub(crate) recovery: Box<dyn AsyncRecover<C, H>>,
    /// Where the last recovery led, which the next lookup reports as current.
    pub(crate) current: Option<Peer>,
}

impl<C: Send + Sync + 'static, H: Send + 'static> AsyncRecover<C, H> for AsyncRediscover<C, H> {
    fn recover<'a>(
        &'a mut self,
        failure: &'a AsyncFailure<'a, C>,
        handle: &'a mut H,
    ) -> BoxFuture<'a, Result<C, AttemptError>> {
        Box::pin(async move {
            let lookup = failure.lookup(self.current.as_ref());
            let peers = self.discovery.lock().await.discover(&lookup).await?;
            let mut failed = Vec::new();
            for peer in peers {
                let origin = Origin::Socket(peer.clone());
                let toward = AsyncFailure(failure.toward(&origin));
                match self.recovery.recover(&toward, handle).await {
                    Ok(fresh) => {
                        self.current = Some(peer);
                        return Ok(fresh);
                    }
                    Err(e) if e.is_give_up() => return Err(e),
                    Err(e) => failed.push((peer, e.into_error())),
                }
            }
            Err(AttemptError::retry(none_took(failed)))
        })
    }
}

/// A `discover_async` function:
/// `async fn(&Lookup<'_>, &mut Handle) -> Result<A, E>`. Hidden; see
/// `discover_async` in `#[derive(Recoverable)]`.
#[doc(hidden)]
pub trait AsyncDiscoverHook<'a, H: 'a, A, E> {
    /// What the function returns.
    type Future: Future<Output = Result<A, E>> + Send + 'a;
    /// Calls it.
    fn call(self, lookup: &'a Lookup<'a>, handle: &'a mut H) -> Self::Future;
}

impl<'a, H: 'a, A, E, F, Fut> AsyncDiscoverHook<'a, H, A, E> for F
where
    F: FnOnce(&'a Lookup<'a>, &'a mut H) -> Fut,
    Fut: Future<Output = Result<A, E>> + Send + 'a,
{
    type Future = Fut;

    fn call(self, lookup: &'a Lookup<'a>, handle: &'a mut H) -> Fut {
        self(lookup, handle)
    }
}

/// `strategy = reconnect` with `discover_async = function`: asks the function
/// where to go, then tries each address, running `ready` (the `after_async`
/// hook) on the new connection. The address reached is returned for the
/// `#[ha(addr)]` field.
#[doc(hidden)]
pub fn discover<'h, C, H, A, E, F, R>(
    failure: &'h AsyncFailure<'h, C>,
    current: Option<Peer>,
    handle: &'h mut H,
    function: F,
    mut ready: R,
) -> BoxFuture<'h, Result<(C, Peer), AttemptError>>
where
    C: AsyncReconnectTarget,
    H: Send,
    A: IntoPeers + Send,
    E: HookError + Send,
    F: for<'a> AsyncDiscoverHook<'a, H, A, E> + Send + 'h,
    R: for<'a> FnMut(C, &'a mut H) -> BoxFuture<'a, Result<C, AttemptError>> + Send + 'h,
{
    Box::pin(async move {
        let lookup = failure.lookup(current.as_ref());
        let peers = function
            .call(&lookup, handle)
            .await
            .map_err(HookError::into_attempt_error)?
            .into_peers()?;
        let mut failed = Vec::new();
        for peer in peers {
            let made = match failure.reconnect_to(&peer).await {
                Ok(fresh) => ready(fresh, handle).await,
                Err(e) => Err(e),
            };
            match made {
                Ok(fresh) => return Ok((fresh, peer)),
                Err(e) if e.is_give_up() => return Err(e),
                Err(e) => failed.push((peer, e.into_error())),
            }
        }
        Err(AttemptError::retry(none_took(failed)))
    })
}

/// A `discover_async` without an `after_async` hook: the new connection as it
/// is.
#[doc(hidden)]
// `C: 'static`, not `C: 'a`: a lifetime in a bound would make `'a` early-bound,
// and the function would then not be one for every lifetime of the handle.
pub fn as_is<'a, C: Send + 'static, H>(
    fresh: C,
    _: &'a mut H,
) -> BoxFuture<'a, Result<C, AttemptError>> {
    Box::pin(std::future::ready(Ok(fresh)))
}
