//! ha-cover against Redis Sentinel (Debian's redis-server and redis-sentinel):
//! a primary, two replicas and three sentinels on loopback ports; the primary
//! is SIGKILLed again and again, the sentinels promote a replica each time,
//! and the old primary comes back as a replica. A client declared with
//! `discover` (ask the sentinels, wake on their news: `+promoted-slave`,
//! `+switch-master`) and an `after`
//! hook (replay AUTH, check the role, SELECT, CLIENT SETNAME) appends to a
//! list and reads it through all of it. See `ride.rs` for what is checked.

use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ha_cover::asynchronous::{AsyncCover, AsyncReconnectTarget};
use ha_cover::{AttemptError, Builder, Cover, Lookup, Peer, ReconnectTarget, Recoverable};
use ha_cover_examples::discovery::Sentinel;
use ha_cover_examples::redis_session::{self, Session};
use ha_cover_examples::ride::{Ride, Verdict, judge};
use ha_cover_world::redis_node::PASSWORD;
use ha_cover_world::require;
use ha_cover_world::resp::Resp;
use ha_cover_world::sentinel::MASTER;
use ha_cover_world::{Component, Rng, SentinelCluster};

const T: Duration = Duration::from_secs(30);

/// Failovers in the sync test and the async one: enough to see each
/// failover take the same path, few enough to keep the run short (each takes
/// about 5 s: the sentinels' 3 s, then the old primary's return).
const FAILOVERS: usize = 4;
const ASYNC_FAILOVERS: usize = 2;

/// The pause between two requests: a client that does other work between
/// them, as clients do, rather than one that keeps a core busy on its own.
const PACE: Duration = Duration::from_micros(500);

fn components() -> [Component; 2] {
    [
        Component::Redis,
        Component::Program {
            name: "redis-sentinel",
            package: "redis-sentinel",
        },
    ]
}

fn session(name: &str) -> Session {
    Session {
        password: PASSWORD.into(),
        db: 3,
        name: name.into(),
    }
}

/// The client's handle: where the primary is, found by the sentinels.
#[derive(Recoverable)]
#[recoverable(strategy = reconnect, discover = find_primary, after = replay)]
struct Client {
    #[ha(addr)]
    primary: SocketAddr,
    #[ha(recoveries)]
    failovers: u32,
    sentinel: Sentinel,
    session: Session,
}

fn find_primary(lookup: &Lookup<'_>, client: &mut Client) -> Result<Vec<Peer>, AttemptError> {
    client.sentinel.find(lookup)
}

fn replay<C: ReconnectTarget>(conn: &mut C, client: &mut Client) -> Result<(), AttemptError> {
    redis_session::replay(conn, &client.session)
}

/// Kills the primary `count` times at random moments of the client's work.
fn chaos(cluster: &SentinelCluster, count: usize, seed: u64, done: &AtomicBool) {
    let mut rng = Rng::new(seed);
    let outcome = (0..count).try_for_each(|_| {
        std::thread::sleep(Duration::from_millis(rng.between(200, 700)));
        cluster.fail_over(T).map(drop)
    });
    done.store(true, Ordering::SeqCst);
    outcome.expect("fail over");
}

/// The final list, from the last primary.
fn final_list(cluster: &SentinelCluster) -> Vec<u64> {
    let mut client = ha_cover_world::resp::RedisClient::connect_tcp(cluster.primary(), T).unwrap();
    for args in [&["AUTH", PASSWORD][..], &["SELECT", "3"]] {
        assert_eq!(client.call(args).unwrap(), Resp::Simple("OK".into()));
    }
    let Resp::Array(Some(items)) = client.call(&["LRANGE", "log", "0", "-1"]).unwrap() else {
        panic!("LRANGE")
    };
    items
        .iter()
        .map(|item| match item {
            Resp::Bulk(Some(b)) => std::str::from_utf8(b).unwrap().parse().unwrap(),
            other => panic!("{other:?}"),
        })
        .collect()
}

/// The assertions both tests make, after printing the figures.
fn check(verdict: &Verdict, failovers: usize, recoveries: u64) {
    println!("{verdict}");
    let lags = verdict.lags_ms();
    let after_promotion: Vec<f64> = verdict
        .failovers
        .iter()
        .filter_map(|s| s.lag_after_promotion_ms())
        .collect();
    println!(
        "from the leader's promotion to the client's next acknowledged write (ms): {after_promotion:.1?}"
    );
    println!(
        "from the first +switch-master to the client's next acknowledged write (ms): {lags:.1?}"
    );
    assert_eq!(verdict.failovers.len(), failovers);
    assert_eq!(
        verdict.counts.2, 0,
        "a replica was written to as the primary"
    );
    assert!(
        verdict.misplaced.is_empty(),
        "acknowledged by a node that was not the primary then: {:?}",
        verdict.misplaced
    );
    assert!(
        verdict.vanished.is_empty(),
        "acknowledged writes lost that no kill explains: {:?}",
        verdict.vanished
    );
    assert!(
        verdict.duplicates.is_empty(),
        "applied twice under the never policy: {:?}",
        verdict.duplicates
    );
    assert_eq!(recoveries, failovers as u64, "one recovery per failover");
    assert_eq!(
        lags.len(),
        failovers,
        "the client wrote after every failover"
    );
    // The client is woken by the sentinels' news, not by a poll: it has its
    // next write acknowledged within milliseconds of the promotion, before
    // most sentinels announce it (bounds generous for a loaded machine; the
    // figures are in BENCHMARKS.md).
    for lag in lags {
        assert!(
            lag < 250.0,
            "the client resumed {lag:.1} ms after the announcement"
        );
    }
    for lag in after_promotion {
        assert!(
            lag < 250.0,
            "the client resumed {lag:.1} ms after the promotion"
        );
    }
}

#[test]
fn a_declared_client_rides_through_sentinel_failovers() {
    require!(components()[0], components()[1]);
    let cluster = SentinelCluster::start().expect("start the group");
    let initial = cluster.primary();
    let client = Client {
        primary: initial,
        failovers: 0,
        sentinel: Sentinel::connect(MASTER, &cluster.sentinels()).unwrap(),
        session: session("rider"),
    };
    let mut cover: Cover<TcpStream, Client> = Builder::new()
        .connect_tcp(initial, ha_cover::by_handle, client)
        .unwrap();
    redis_session::start(&mut cover, &session("rider")).unwrap();

    let done = AtomicBool::new(false);
    let mut ride = Ride::default();
    std::thread::scope(|s| {
        s.spawn(|| chaos(&cluster, FAILOVERS, 14, &done));
        while !done.load(Ordering::SeqCst) {
            let request = ride.next_request();
            let args = request.args();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let sent = Instant::now();
            let outcome = redis_session::call(&mut cover, &args);
            let at = Instant::now();
            let primary = cover.with_handle(|h| h.primary);
            if let Err(e) = ride.record(request, (sent, at), outcome, primary) {
                done.store(true, Ordering::SeqCst);
                panic!("after {} acknowledged writes: {e}", ride.acked.len());
            }
            std::thread::sleep(PACE);
        }
    });
    let verdict = judge(&ride, initial, &cluster.failovers(), &final_list(&cluster));
    check(
        &verdict,
        FAILOVERS,
        u64::from(cover.with_handle(|h| h.failovers)),
    );
    assert_eq!(cover.with_handle(|h| h.primary), cluster.primary());
    assert_eq!(cover.control().stats().recoveries, FAILOVERS as u64);
}

/// The async client: the same declaration with the async hooks.
#[derive(Recoverable)]
#[recoverable(
    strategy = reconnect,
    discover_async = find_primary_async,
    after_async = replay_async
)]
struct AsyncClient {
    #[ha(addr)]
    primary: SocketAddr,
    #[ha(recoveries)]
    failovers: u32,
    sentinel: Sentinel,
    session: Session,
}

async fn find_primary_async(
    lookup: &Lookup<'_>,
    client: &mut AsyncClient,
) -> Result<Vec<Peer>, AttemptError> {
    client.sentinel.find_async(lookup).await
}

async fn replay_async<C: AsyncReconnectTarget>(
    conn: &mut C,
    client: &mut AsyncClient,
) -> Result<(), AttemptError> {
    redis_session::replay_async(conn, &client.session).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declared_async_client_rides_through_sentinel_failovers() {
    require!(components()[0], components()[1]);
    let cluster = Arc::new(
        tokio::task::spawn_blocking(SentinelCluster::start)
            .await
            .unwrap()
            .expect("start the group"),
    );
    let initial = cluster.primary();
    let client = AsyncClient {
        primary: initial,
        failovers: 0,
        sentinel: Sentinel::connect(MASTER, &cluster.sentinels()).unwrap(),
        session: session("async-rider"),
    };
    let mut cover: AsyncCover<tokio::net::TcpStream, AsyncClient> = AsyncCover::builder()
        .connect_tcp(initial, ha_cover::asynchronous::by_handle, client)
        .await
        .unwrap();
    redis_session::start_async(&mut cover, &session("async-rider"))
        .await
        .unwrap();

    let done = Arc::new(AtomicBool::new(false));
    let chaos_thread = {
        let (cluster, done) = (Arc::clone(&cluster), Arc::clone(&done));
        std::thread::spawn(move || chaos(&cluster, ASYNC_FAILOVERS, 15, &done))
    };
    let mut ride = Ride::default();
    while !done.load(Ordering::SeqCst) {
        let request = ride.next_request();
        let args = request.args();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let sent = Instant::now();
        let outcome = redis_session::call_async(&mut cover, &args).await;
        let at = Instant::now();
        let primary = cover.with_handle(|h| h.primary).await;
        if let Err(e) = ride.record(request, (sent, at), outcome, primary) {
            done.store(true, Ordering::SeqCst);
            panic!("after {} acknowledged writes: {e}", ride.acked.len());
        }
        tokio::time::sleep(PACE).await;
    }
    chaos_thread.join().expect("the failovers");
    let list = {
        let cluster = Arc::clone(&cluster);
        tokio::task::spawn_blocking(move || final_list(&cluster))
            .await
            .unwrap()
    };
    let verdict = judge(&ride, initial, &cluster.failovers(), &list);
    let recoveries = cover.with_handle(|h| h.failovers).await;
    check(&verdict, ASYNC_FAILOVERS, u64::from(recoveries));
    assert_eq!(cover.with_handle(|h| h.primary).await, cluster.primary());
    // The cluster's processes are stopped off the runtime's threads.
    drop(cover);
    let cluster = Arc::try_unwrap(cluster).expect("the last reference");
    tokio::task::spawn_blocking(move || drop(cluster))
        .await
        .unwrap();
}

/// The control: the same session replayed on a reconnect to where the socket
/// was, with no discovery and no role check, as a client without them does.
#[derive(Recoverable)]
#[recoverable(strategy = reconnect, after = replay_anywhere)]
struct Plain {
    session: Session,
}

fn replay_anywhere<C: ReconnectTarget>(
    conn: &mut C,
    plain: &mut Plain,
) -> Result<(), AttemptError> {
    redis_session::replay_blindly(conn, &plain.session)
}

#[test]
fn without_discovery_the_client_comes_back_to_the_demoted_primary() {
    require!(components()[0], components()[1]);
    let cluster = SentinelCluster::start().expect("start the group");
    let initial = cluster.primary();
    let mut cover = Builder::new()
        .connect_tcp(
            initial,
            ha_cover::by_handle,
            Plain {
                session: session("plain"),
            },
        )
        .unwrap();
    redis_session::start(&mut cover, &session("plain")).unwrap();
    assert!(matches!(
        redis_session::call(&mut cover, &["RPUSH", "log", "1"]).unwrap(),
        Resp::Integer(1)
    ));
    let failover = cluster.fail_over(T).expect("fail over");
    // The first request meets the dead connection; the cover reconnects to
    // the old primary's address once it is back, as a replica.
    let mut refused = 0;
    for value in 2..=3 {
        let value = value.to_string();
        match redis_session::call(&mut cover, &["RPUSH", "log", &value]) {
            Ok(Resp::Error(e)) if e.starts_with("READONLY") => refused += 1,
            Err(e) if ha_cover::is_indeterminate(&e) => {}
            other => panic!("{other:?}"),
        }
    }
    assert!(refused >= 1, "the replica refused the writes");
    assert_eq!(
        cover.get_ref().peer_addr().unwrap(),
        failover.from,
        "the cover went back to where it was"
    );
    assert_eq!(
        cluster.node(failover.from).unwrap().role().unwrap(),
        "slave"
    );
    println!(
        "without discovery: back on {} (a replica now), {refused} write(s) refused with READONLY",
        failover.from
    );
}
