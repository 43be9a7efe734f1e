//! Redis Sentinel as a discovery engine: where the primary of a group is now.
//!
//! Asked during a recovery, [`Sentinel`] asks every sentinel for the primary
//! (`SENTINEL GET-MASTER-ADDR-BY-NAME`) and returns the addresses they name,
//! the most named first. While they all still name the primary that just
//! died (they take a few seconds to agree it is down, elect a leader and
//! promote a replica), it waits for news, which it hears through a
//! subscription kept open on every sentinel, then asks again: the client
//! wakes within milliseconds of the news, rather than at the next tick of a
//! poll. The news is `+switch-master`, which every sentinel publishes when it
//! names a new primary, and `+promoted-slave`, which the leader of the
//! failover publishes as the replica it chose becomes a primary, tens of
//! milliseconds earlier: from then on the leader answers with the new
//! primary. The dead primary comes last in the list, for a primary that came
//! back before the sentinels gave up on it.
//!
//! A sentinel that lags may still name an old primary, which may be alive
//! again as a replica: the recovery's handshake must check the role (`ROLE`)
//! and refuse a replica, so the next address is tried.

use std::io;
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use ha_cover::asynchronous::{AsyncDiscover, BoxFuture};
use ha_cover::{AttemptError, Discover, Lookup, Peer};

use ha_cover_world::resp::{RedisClient, Resp};
use ha_cover_world::switch_watch::{self, News, parse_news};

/// How long one question to a sentinel may take.
const ASK_TIMEOUT: Duration = Duration::from_millis(200);

/// How long a lookup waits for an announcement, by default.
pub const PATIENCE: Duration = Duration::from_secs(1);

/// News the engine heard: `+switch-master` or `+promoted-slave`.
#[derive(Debug, Clone, Copy)]
pub struct Announcement {
    /// When it arrived.
    pub at: Instant,
    /// The sentinel that published it.
    pub sentinel: SocketAddr,
    /// The primary it named (the promoted replica, for `+promoted-slave`).
    pub primary: SocketAddr,
}

#[derive(Debug)]
struct Shared {
    master: String,
    sentinels: Vec<SocketAddr>,
    heard: Mutex<Vec<Announcement>>,
    changed: Condvar,
    /// The number of announcements heard, for async lookups to wait on.
    tick: tokio::sync::watch::Sender<usize>,
    stopping: AtomicBool,
    /// The subscriptions, to be shut down when the engine is dropped.
    streams: Mutex<Vec<TcpStream>>,
}

/// Stops the subscriptions when the last clone of the engine goes.
#[derive(Debug)]
struct Guard {
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        for stream in self.shared.streams.lock().unwrap().iter() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// Where the sentinels of a group say its primary is. Clones share the
/// subscriptions; the last one dropped closes them.
#[derive(Debug, Clone)]
pub struct Sentinel {
    shared: Arc<Shared>,
    patience: Duration,
    _guard: Arc<Guard>,
}

impl Sentinel {
    /// Subscribes to the news on every sentinel of the group `master`
    /// (those not answering now are retried in the background).
    pub fn connect(master: &str, sentinels: &[SocketAddr]) -> io::Result<Sentinel> {
        let shared = Arc::new(Shared {
            master: master.to_owned(),
            sentinels: sentinels.to_vec(),
            heard: Mutex::new(Vec::new()),
            changed: Condvar::new(),
            tick: tokio::sync::watch::channel(0).0,
            stopping: AtomicBool::new(false),
            streams: Mutex::new(Vec::new()),
        });
        let mut threads = Vec::new();
        for &sentinel in sentinels {
            // Subscribed before returning where the sentinel answers, so no
            // announcement made after `connect` is missed.
            let first = subscribe(&shared, sentinel).ok();
            let shared = Arc::clone(&shared);
            threads.push(
                std::thread::Builder::new()
                    .name(format!("sentinel-{}", sentinel.port()))
                    .spawn(move || listen(&shared, sentinel, first))?,
            );
        }
        let guard = Guard {
            shared: Arc::clone(&shared),
            threads,
        };
        Ok(Sentinel {
            shared,
            patience: PATIENCE,
            _guard: Arc::new(guard),
        })
    }

    /// How long a lookup waits for the sentinels to name another primary
    /// than the one that died, before returning what they say (within the
    /// recovery's deadline). A primary restarted before the sentinels gave up
    /// on it is found after this long.
    pub fn patience(mut self, patience: Duration) -> Self {
        self.patience = patience;
        self
    }

    /// All the news heard so far.
    pub fn announcements(&self) -> Vec<Announcement> {
        self.shared.heard.lock().unwrap().clone()
    }

    /// What the sentinels name now, the most named first.
    pub fn primaries(&self) -> io::Result<Vec<SocketAddr>> {
        ranked(&self.shared.ask_all(), None)
    }

    /// The addresses to try after the connection to `current` died: see the
    /// module's documentation. Blocks for up to the patience.
    pub fn find(&self, lookup: &Lookup<'_>) -> Result<Vec<Peer>, AttemptError> {
        let current = tcp(lookup.current());
        let until = self.wait_until(lookup);
        loop {
            let heard = self.shared.heard.lock().unwrap().len();
            let found = ranked(&self.shared.ask_all(), current);
            if moved_on(&found, current) || Instant::now() >= until {
                return Ok(found?.into_iter().map(Peer::Tcp).collect());
            }
            let mut log = self.shared.heard.lock().unwrap();
            while log.len() == heard {
                let left = until.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                log = self.shared.changed.wait_timeout(log, left).unwrap().0;
            }
        }
    }

    /// [`find`](Self::find) for async covers: the sentinels are asked on the
    /// blocking pool, and the wait for an announcement is a task's.
    pub async fn find_async(&self, lookup: &Lookup<'_>) -> Result<Vec<Peer>, AttemptError> {
        let current = tcp(lookup.current());
        let until = tokio::time::Instant::from_std(self.wait_until(lookup));
        loop {
            let mut ticks = self.shared.tick.subscribe();
            let shared = Arc::clone(&self.shared);
            let answers = tokio::task::spawn_blocking(move || shared.ask_all())
                .await
                .map_err(io::Error::other)?;
            let found = ranked(&answers, current);
            if moved_on(&found, current) || tokio::time::Instant::now() >= until {
                return Ok(found?.into_iter().map(Peer::Tcp).collect());
            }
            let _ = tokio::time::timeout_at(until, ticks.changed()).await;
        }
    }

    fn wait_until(&self, lookup: &Lookup<'_>) -> Instant {
        let patience = lookup
            .remaining()
            .map_or(self.patience, |left| left.min(self.patience));
        Instant::now() + patience
    }
}

impl Discover for Sentinel {
    fn discover(&mut self, lookup: &Lookup<'_>) -> Result<Vec<Peer>, AttemptError> {
        self.find(lookup)
    }
}

impl AsyncDiscover for Sentinel {
    fn discover<'a>(
        &'a mut self,
        lookup: &'a Lookup<'a>,
    ) -> BoxFuture<'a, Result<Vec<Peer>, AttemptError>> {
        Box::pin(self.find_async(lookup))
    }
}

impl Shared {
    /// What each sentinel names as the primary, in the order they are listed.
    fn ask_all(&self) -> Vec<(SocketAddr, io::Result<SocketAddr>)> {
        self.sentinels
            .iter()
            .map(|&sentinel| (sentinel, ask(sentinel, &self.master)))
            .collect()
    }

    fn announce(&self, sentinel: SocketAddr, primary: SocketAddr) {
        let mut log = self.heard.lock().unwrap();
        log.push(Announcement {
            at: Instant::now(),
            sentinel,
            primary,
        });
        let count = log.len();
        drop(log);
        self.changed.notify_all();
        self.tick.send_replace(count);
    }
}

fn tcp(peer: Option<&Peer>) -> Option<SocketAddr> {
    match peer {
        Some(Peer::Tcp(addr)) => Some(*addr),
        _ => None,
    }
}

/// Whether the sentinels name a primary other than the one that died.
fn moved_on(found: &io::Result<Vec<SocketAddr>>, current: Option<SocketAddr>) -> bool {
    matches!(found, Ok(addrs) if addrs.first().is_some_and(|a| Some(*a) != current))
}

/// The addresses named, the most named first (the first named first among
/// equals), `current` last; an error when no sentinel answered.
fn ranked(
    answers: &[(SocketAddr, io::Result<SocketAddr>)],
    current: Option<SocketAddr>,
) -> io::Result<Vec<SocketAddr>> {
    let mut votes: Vec<(SocketAddr, usize)> = Vec::new();
    for (_, answer) in answers {
        let Ok(addr) = answer else { continue };
        match votes.iter_mut().find(|(a, _)| a == addr) {
            Some((_, n)) => *n += 1,
            None => votes.push((*addr, 1)),
        }
    }
    if votes.is_empty() {
        let why: Vec<String> = answers
            .iter()
            .map(|(sentinel, answer)| match answer {
                Ok(_) => unreachable!("no answer was counted"),
                Err(e) => format!("{sentinel}: {e}"),
            })
            .collect();
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("no sentinel named a primary ({})", why.join("; ")),
        ));
    }
    votes.sort_by_key(|&(addr, n)| (Some(addr) == current, std::cmp::Reverse(n)));
    Ok(votes.into_iter().map(|(addr, _)| addr).collect())
}

/// `SENTINEL GET-MASTER-ADDR-BY-NAME`.
fn ask(sentinel: SocketAddr, master: &str) -> io::Result<SocketAddr> {
    let mut client = RedisClient::connect_tcp(sentinel, ASK_TIMEOUT)?;
    match client.call(&["SENTINEL", "GET-MASTER-ADDR-BY-NAME", master])? {
        Resp::Array(Some(items)) => match &items[..] {
            [Resp::Bulk(Some(ip)), Resp::Bulk(Some(port))] => {
                let addr = format!(
                    "{}:{}",
                    String::from_utf8_lossy(ip),
                    String::from_utf8_lossy(port)
                );
                addr.parse().map_err(io::Error::other)
            }
            other => Err(io::Error::other(format!("unexpected answer {other:?}"))),
        },
        Resp::Array(None) => Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("the sentinel does not know {master}"),
        )),
        other => Err(io::Error::other(format!("unexpected answer {other:?}"))),
    }
}

/// A subscription to the news on `sentinel`, registered to be shut
/// down with the engine.
fn subscribe(shared: &Shared, sentinel: SocketAddr) -> io::Result<RedisClient<TcpStream>> {
    let mut client = RedisClient::connect_tcp(sentinel, ASK_TIMEOUT)?;
    switch_watch::subscribe(&mut client)?;
    client.get_ref().set_read_timeout(None)?;
    shared
        .streams
        .lock()
        .unwrap()
        .push(client.get_ref().try_clone()?);
    if shared.stopping.load(Ordering::SeqCst) {
        // The guard may have shut the streams down before this one was added.
        let _ = client.get_ref().shutdown(Shutdown::Both);
    }
    Ok(client)
}

/// Hears announcements on one sentinel, subscribing again after a lost
/// connection, until the engine is dropped.
fn listen(shared: &Shared, sentinel: SocketAddr, mut client: Option<RedisClient<TcpStream>>) {
    while !shared.stopping.load(Ordering::SeqCst) {
        let Some(subscribed) = client.as_mut() else {
            std::thread::sleep(Duration::from_millis(100));
            client = subscribe(shared, sentinel).ok();
            continue;
        };
        match subscribed.receive() {
            Ok(message) => match parse_news(&message, &shared.master) {
                Some(News::Switched { to, .. }) => shared.announce(sentinel, to),
                Some(News::Promoted { replica, .. }) => shared.announce(sentinel, replica),
                None => {}
            },
            Err(_) => client = None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(port: u16) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], port))
    }

    #[test]
    fn the_most_named_comes_first_and_the_dead_one_last() {
        let (s1, s2, s3) = (addr(1), addr(2), addr(3));
        let answers = vec![(s1, Ok(addr(10))), (s2, Ok(addr(20))), (s3, Ok(addr(20)))];
        assert_eq!(ranked(&answers, None).unwrap(), [addr(20), addr(10)]);
        assert_eq!(
            ranked(&answers, Some(addr(20))).unwrap(),
            [addr(10), addr(20)]
        );
        let lagging = vec![
            (s1, Ok(addr(10))),
            (s2, Err(io::ErrorKind::TimedOut.into())),
            (s3, Ok(addr(10))),
        ];
        let found = ranked(&lagging, Some(addr(10)));
        assert!(!moved_on(&found, Some(addr(10))));
        assert!(moved_on(&found, Some(addr(30))));
    }

    #[test]
    fn no_answer_at_all_says_what_each_sentinel_said() {
        let answers = vec![(addr(1), Err(io::ErrorKind::ConnectionRefused.into()))];
        let err = ranked(&answers, None).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        assert!(err.to_string().contains("127.0.0.1:1"), "{err}");
    }
}
