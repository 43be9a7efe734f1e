//! Discovery: recovery that asks a service where the server is now, instead of
//! reconnecting to where it was.
//!
//! When a primary dies for good and a replica takes over elsewhere, the
//! address the socket was connected to leads nowhere (or, worse, to the old
//! primary restarted as a replica). The engine that manages the cluster knows
//! where to go: Redis Sentinel, a DNS SRV record, etcd, Consul. A discovery
//! asks it, on every recovery attempt, and returns the addresses to try, in
//! order; the reconnect takes the first that accepts the connection and passes
//! the handshake (an `after` hook, which can also check that the server is the
//! primary), so the same hook serves every engine:
//!
//! - Sentinel: `SENTINEL get-master-addr-by-name`, and, while the sentinels
//!   still name the dead primary, a wait for their news (`+switch-master`)
//!   announcement (the discovery is where the recovery waits, so an engine
//!   that can be told about a change wakes the client as soon as it happens);
//! - DNS SRV: the targets of the record, by priority;
//! - etcd or Consul: the key or the healthy service instances, with a watch
//!   or a blocking query as the wake-up;
//! - a fixed list of hosts tried in turn, as libpq's multi-host connection
//!   strings are, with an `after` hook that keeps only the primary.
//!
//! A discovery is declared on a handle (`#[recoverable(strategy = reconnect,
//! discover = path)]`, which keeps the address reached in its `#[ha(addr)]`
//! field) or given to a [`Builder`](crate::Builder) with
//! [`discover`](crate::Builder::discover) (any recovery function then
//! reconnects to the discovered addresses).

use std::fmt::Write as _;
use std::io;
use std::net::{SocketAddr, SocketAddrV4, SocketAddrV6};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::connection::{Connection, Peer};
use crate::origin::Origin;
use crate::recovery::{Failure, Recover};
use ha_cover_engine::AttemptError;
use ha_cover_engine::Cause;

use super::HookError;

/// What a discovery is told about the failure it is asked about.
#[derive(Clone, Copy, Debug)]
pub struct Lookup<'a> {
    pub(crate) current: Option<&'a Peer>,
    pub(crate) cause: &'a Cause,
    pub(crate) attempt: u32,
    pub(crate) deadline: Option<Instant>,
}

impl<'a> Lookup<'a> {
    /// Where the connection that died led, as far as the cover knows: the
    /// address the last discovery found, or the original peer. A discovery
    /// whose engine still names it knows the engine has not moved on yet.
    pub fn current(&self) -> Option<&'a Peer> {
        self.current
    }

    /// Why the connection is being recovered.
    pub fn cause(&self) -> &'a Cause {
        self.cause
    }

    /// Which attempt this is for the current failure, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// When the policy's deadline for this recovery passes, if it has one: a
    /// discovery that waits for the engine to announce a change waits no
    /// longer than this.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Time left before the deadline, if there is one.
    pub fn remaining(&self) -> Option<Duration> {
        self.deadline
            .map(|d| d.saturating_duration_since(Instant::now()))
    }
}

impl<C> Failure<'_, C> {
    /// What a discovery is told about this failure; `current` is where the
    /// dead connection led, when the recovery knows better than the cover's
    /// origin (a handle's `#[ha(addr)]` field).
    pub fn lookup<'b>(&'b self, current: Option<&'b Peer>) -> Lookup<'b> {
        Lookup {
            current: current.or(self.origin.peer()),
            cause: self.cause,
            attempt: self.attempt,
            deadline: self.deadline,
        }
    }
}

/// A service that says where a server is: asked on every recovery attempt of
/// a cover built with [`Builder::discover`](crate::Builder::discover), it
/// returns the addresses to reconnect to, tried in order.
///
/// An error fails the attempt (retried as the policy allows); an
/// [`AttemptError::give_up`] ends the recovery. No address is an attempt
/// that failed too: the engine does not know yet. Any
/// `FnMut(&Lookup) -> Result<A, E>` closure is one, where `A` is one or more
/// addresses ([`IntoPeers`]) and `E` an `io::Error` or an `AttemptError`:
///
/// ```no_run
/// use std::net::SocketAddr;
/// use ha_cover::{Builder, Lookup};
///
/// // Two hosts, tried in turn, as a libpq multi-host connection string does.
/// let hosts: Vec<SocketAddr> = vec!["10.0.0.1:5432".parse().unwrap(), "10.0.0.2:5432".parse().unwrap()];
/// # fn main() -> std::io::Result<()> {
/// # let hosts: Vec<SocketAddr> = vec![];
/// let cover = Builder::new()
///     .discover(move |_: &Lookup<'_>| Ok::<_, std::io::Error>(hosts.clone()))
///     .connect_tcp("10.0.0.1:5432", ha_cover::reconnect, ())?;
/// # Ok(()) }
/// ```
pub trait Discover: Send + 'static {
    /// The addresses to try for this attempt, in order.
    fn discover(&mut self, lookup: &Lookup<'_>) -> Result<Vec<Peer>, AttemptError>;
}

impl<F, A, E> Discover for F
where
    F: FnMut(&Lookup<'_>) -> Result<A, E> + Send + 'static,
    A: IntoPeers,
    E: HookError,
{
    fn discover(&mut self, lookup: &Lookup<'_>) -> Result<Vec<Peer>, AttemptError> {
        let found = self(lookup).map_err(HookError::into_attempt_error)?;
        Ok(found.into_peers()?)
    }
}

/// One or more addresses a discovery found, in the order to try them: a
/// [`Peer`], a `SocketAddr` (TCP), a `PathBuf` (a Unix socket's path), and
/// `Vec`s, arrays and `Option`s of them (`None` is no address).
#[diagnostic::on_unimplemented(
    message = "a discovery returns the addresses to reconnect to, not `{Self}`",
    label = "its addresses are `{Self}`",
    note = "return `ha_cover::Peer`, `std::net::SocketAddr` or `PathBuf` (a Unix socket), or a `Vec`, array or `Option` of one"
)]
pub trait IntoPeers {
    /// The addresses as peers, in order.
    fn into_peers(self) -> io::Result<Vec<Peer>>;
}

impl IntoPeers for Peer {
    fn into_peers(self) -> io::Result<Vec<Peer>> {
        Ok(vec![self])
    }
}

impl IntoPeers for SocketAddr {
    fn into_peers(self) -> io::Result<Vec<Peer>> {
        Ok(vec![Peer::Tcp(self)])
    }
}

impl IntoPeers for SocketAddrV4 {
    fn into_peers(self) -> io::Result<Vec<Peer>> {
        Ok(vec![Peer::Tcp(self.into())])
    }
}

impl IntoPeers for SocketAddrV6 {
    fn into_peers(self) -> io::Result<Vec<Peer>> {
        Ok(vec![Peer::Tcp(self.into())])
    }
}

impl IntoPeers for PathBuf {
    fn into_peers(self) -> io::Result<Vec<Peer>> {
        Ok(vec![Peer::unix(self)?])
    }
}

impl<T: IntoPeers> IntoPeers for Option<T> {
    fn into_peers(self) -> io::Result<Vec<Peer>> {
        self.map_or(Ok(Vec::new()), IntoPeers::into_peers)
    }
}

impl<T: IntoPeers> IntoPeers for Vec<T> {
    fn into_peers(self) -> io::Result<Vec<Peer>> {
        let mut peers = Vec::with_capacity(self.len());
        for found in self {
            peers.extend(found.into_peers()?);
        }
        Ok(peers)
    }
}

impl<T: IntoPeers, const N: usize> IntoPeers for [T; N] {
    fn into_peers(self) -> io::Result<Vec<Peer>> {
        Vec::from(self).into_peers()
    }
}

/// Tries `peers` in order with `connect`, which makes the connection and runs
/// the handshake; returns the first that succeeds, with its address. An
/// attempt that gives up ends the search; otherwise the error says what each
/// address answered.
#[doc(hidden)]
pub fn each_peer<C, H>(
    peers: Vec<Peer>,
    handle: &mut H,
    mut connect: impl FnMut(&Peer, &mut H) -> Result<C, AttemptError>,
) -> Result<(C, Peer), AttemptError> {
    let mut failed = Vec::new();
    for peer in peers {
        match connect(&peer, handle) {
            Ok(fresh) => return Ok((fresh, peer)),
            Err(e) if e.is_give_up() => return Err(e),
            Err(e) => failed.push((peer, e.into_error())),
        }
    }
    Err(AttemptError::retry(none_took(failed)))
}

/// The error of a search in which no address took the connection: the one
/// address's own error, or every address with its error.
pub(crate) fn none_took(mut failed: Vec<(Peer, io::Error)>) -> io::Error {
    match failed.len() {
        0 => io::Error::new(
            io::ErrorKind::NotFound,
            "discovery found no address to reconnect to",
        ),
        1 => failed.pop().expect("one").1,
        _ => {
            let kind = failed.last().expect("several").1.kind();
            let mut message = String::from("no discovered address took the connection:");
            for (peer, error) in &failed {
                let _ = write!(message, " {peer}: {error};");
            }
            message.pop();
            io::Error::new(kind, message)
        }
    }
}

/// `strategy = reconnect` with `discover = function`: asks the function where
/// to go, then tries each address with `ready` (the `after` hook) on the new
/// connection. The address reached is returned for the `#[ha(addr)]` field.
#[doc(hidden)]
pub fn discover<C, H, A, E>(
    failure: &Failure<'_, C>,
    current: Option<Peer>,
    handle: &mut H,
    function: fn(&Lookup<'_>, &mut H) -> Result<A, E>,
    mut ready: impl FnMut(C, &mut H) -> Result<C, AttemptError>,
) -> Result<(C, Peer), AttemptError>
where
    C: super::ReconnectTarget,
    A: IntoPeers,
    E: HookError,
{
    let lookup = failure.lookup(current.as_ref());
    let peers = function(&lookup, handle)
        .map_err(HookError::into_attempt_error)?
        .into_peers()?;
    each_peer(peers, handle, |peer, handle| {
        let fresh = failure.reconnect_to(peer)?;
        ready(fresh, handle)
    })
}

/// A builder's discovery, shared by every cover made from the builder and
/// its clones (one lookup at a time: they ask the same service).
pub(crate) type SharedDiscover = Arc<Mutex<Box<dyn Discover>>>;

/// The builder's discovery around any recovery function: each discovered
/// address becomes the origin the recovery function sees, so
/// [`Failure::reconnect`] (and every helper built on it) goes there.
pub(crate) struct Rediscover<C, H> {
    pub(crate) discovery: SharedDiscover,
    pub(crate) recovery: Box<dyn Recover<C, H>>,
    /// Where the last recovery led, which the next lookup reports as current.
    pub(crate) current: Option<Peer>,
}

impl<C: Connection, H: 'static> Recover<C, H> for Rediscover<C, H> {
    fn recover(&mut self, failure: &Failure<'_, C>, handle: &mut H) -> Result<C, AttemptError> {
        let peers = self
            .discovery
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .discover(&failure.lookup(self.current.as_ref()))?;
        let recovery = &mut self.recovery;
        let (fresh, peer) = each_peer(peers, handle, |peer, handle| {
            let origin = Origin::Socket(peer.clone());
            recovery.recover(&failure.toward(&origin), handle)
        })?;
        self.current = Some(peer);
        Ok(fresh)
    }
}

impl<'a, C> Failure<'a, C> {
    /// The same failure, with `origin` as where the connection came from.
    pub(crate) fn toward<'b>(&self, origin: &'b Origin) -> Failure<'b, C>
    where
        'a: 'b,
    {
        Failure {
            cause: self.cause,
            attempt: self.attempt,
            dead: self.dead,
            origin,
            position: self.position,
            identity: self.identity,
            deadline: self.deadline,
            first: self.first,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_of_every_shape_become_peers_in_order() {
        let a: SocketAddr = "127.0.0.1:1".parse().unwrap();
        let b: SocketAddr = "127.0.0.1:2".parse().unwrap();
        let shown = |peers: io::Result<Vec<Peer>>| -> Vec<String> {
            peers.unwrap().iter().map(ToString::to_string).collect()
        };
        assert_eq!(shown(a.into_peers()), ["tcp:127.0.0.1:1"]);
        assert_eq!(
            shown(vec![b, a].into_peers()),
            ["tcp:127.0.0.1:2", "tcp:127.0.0.1:1"]
        );
        assert_eq!(shown([Some(a), None, Some(b)].into_peers()).len(), 2);
        assert!(shown(None::<Peer>.into_peers()).is_empty());
        assert_eq!(
            shown(PathBuf::from("/run/db.sock").into_peers()),
            ["unix:/run/db.sock"]
        );
    }

    #[test]
    fn the_first_address_that_takes_the_connection_wins() {
        let peers = vec![
            Peer::tcp("127.0.0.1:1").unwrap(),
            Peer::tcp("127.0.0.1:2").unwrap(),
            Peer::tcp("127.0.0.1:3").unwrap(),
        ];
        let mut tried = Vec::new();
        let (got, peer) = each_peer(peers, &mut tried, |peer, tried| {
            tried.push(peer.to_string());
            match tried.len() {
                1 => Err(io::ErrorKind::ConnectionRefused.into()),
                _ => Ok(tried.len()),
            }
        })
        .unwrap();
        assert_eq!((got, peer.to_string().as_str()), (2, "tcp:127.0.0.1:2"));
        assert_eq!(tried, ["tcp:127.0.0.1:1", "tcp:127.0.0.1:2"]);
    }

    #[test]
    fn a_search_that_fails_says_what_each_address_answered() {
        let peers = vec![
            Peer::tcp("127.0.0.1:1").unwrap(),
            Peer::tcp("127.0.0.1:2").unwrap(),
        ];
        let err = each_peer::<(), _>(peers, &mut (), |peer, ()| {
            Err(io::Error::new(
                io::ErrorKind::ConnectionRefused,
                format!("refused at {peer}"),
            )
            .into())
        })
        .unwrap_err();
        assert!(!err.is_give_up());
        assert_eq!(err.error().kind(), io::ErrorKind::ConnectionRefused);
        assert_eq!(
            err.error().to_string(),
            "no discovered address took the connection: tcp:127.0.0.1:1: refused at tcp:127.0.0.1:1; tcp:127.0.0.1:2: refused at tcp:127.0.0.1:2"
        );
    }

    #[test]
    fn one_address_keeps_its_own_error_and_none_is_a_retry() {
        let one = vec![Peer::tcp("127.0.0.1:1").unwrap()];
        let err = each_peer::<(), _>(one, &mut (), |_, ()| {
            Err(io::Error::from_raw_os_error(libc::ECONNREFUSED).into())
        })
        .unwrap_err();
        assert_eq!(err.error().raw_os_error(), Some(libc::ECONNREFUSED));
        let none = each_peer::<(), _>(Vec::new(), &mut (), |_, ()| unreachable!()).unwrap_err();
        assert!(!none.is_give_up());
        assert_eq!(none.error().kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn giving_up_ends_the_search() {
        let peers = vec![
            Peer::tcp("127.0.0.1:1").unwrap(),
            Peer::tcp("127.0.0.1:2").unwrap(),
        ];
        let mut tried = 0;
        let err = each_peer::<(), _>(peers, &mut tried, |_, tried| {
            *tried += 1;
            Err(AttemptError::give_up(io::ErrorKind::PermissionDenied))
        })
        .unwrap_err();
        assert!(err.is_give_up());
        assert_eq!(tried, 1);
    }
}
