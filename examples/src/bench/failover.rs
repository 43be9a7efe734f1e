//! Failover across machines through Redis Sentinel: how long a client is down
//! per failover, as it sees it, beside the failover as the sentinels see it.
//!
//! A client declared with `discover` (the [`Sentinel`] engine) and an `after`
//! hook (the session, with a role check) appends to a list while the primary
//! is SIGKILLed again and again (see [`SentinelCluster::fail_over`]). For each
//! failover: the sentinels' time, from the kill to the leader's promotion of a
//! replica (`+promoted-slave`) and to the first `+switch-master`; the
//! client's downtime, from the kill to its next acknowledged write; and the
//! lags between them. The same with the engine polling the sentinels at
//! each attempt instead of waiting for the announcement, and with an async
//! client.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ha_cover::asynchronous::AsyncReconnectTarget;
use ha_cover::{AttemptError, Builder, Lookup, Peer, ReconnectTarget, Recoverable};

use super::Plan;
use super::measure::{ms, report_latency};
use crate::discovery::Sentinel;
use crate::redis_session::{self, Session};
use crate::ride::{Ride, Verdict, judge};
use ha_cover_world::redis_node::PASSWORD;
use ha_cover_world::resp::{RedisClient, Resp};
use ha_cover_world::sentinel::MASTER;
use ha_cover_world::{Component, Rng, SentinelCluster, missing};

const T: Duration = Duration::from_secs(30);
const PACE: Duration = Duration::from_micros(500);

#[derive(Recoverable)]
#[recoverable(strategy = reconnect, discover = find_primary, after = replay)]
struct Client {
    #[ha(addr)]
    primary: SocketAddr,
    sentinel: Sentinel,
    session: Session,
}

fn find_primary(lookup: &Lookup<'_>, client: &mut Client) -> Result<Vec<Peer>, AttemptError> {
    client.sentinel.find(lookup)
}

fn replay<C: ReconnectTarget>(conn: &mut C, client: &mut Client) -> Result<(), AttemptError> {
    redis_session::replay(conn, &client.session)
}

#[derive(Recoverable)]
#[recoverable(
    strategy = reconnect,
    discover_async = find_primary_async,
    after_async = replay_async
)]
struct AsyncClient {
    #[ha(addr)]
    primary: SocketAddr,
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

fn session() -> Session {
    Session {
        password: PASSWORD.into(),
        db: 3,
        name: "bench".into(),
    }
}

/// Kills the primary `count` times, a moment apart.
fn chaos(cluster: &SentinelCluster, count: usize, done: &AtomicBool) -> io::Result<()> {
    let mut rng = Rng::new(count as u64);
    let outcome = (0..count).try_for_each(|_| {
        std::thread::sleep(Duration::from_millis(rng.between(200, 700)));
        cluster.fail_over(T).map(drop)
    });
    done.store(true, Ordering::SeqCst);
    outcome
}

fn final_list(cluster: &SentinelCluster) -> io::Result<Vec<u64>> {
    let mut client = RedisClient::connect_tcp(cluster.primary(), T)?;
    client.call(&["AUTH", PASSWORD])?;
    client.call(&["SELECT", "3"])?;
    let Resp::Array(Some(items)) = client.call(&["LRANGE", "log", "0", "-1"])? else {
        return Err(io::Error::other("LRANGE"));
    };
    Ok(items
        .iter()
        .filter_map(|item| match item {
            Resp::Bulk(Some(b)) => std::str::from_utf8(b).ok()?.parse().ok(),
            _ => None,
        })
        .collect())
}

/// A sync client through `count` failovers; `poll` makes the engine ask the
/// sentinels at each attempt instead of waiting for their announcement.
fn ride_sync(count: usize, poll: bool) -> io::Result<Verdict> {
    let cluster = SentinelCluster::start()?;
    let initial = cluster.primary();
    let mut sentinel = Sentinel::connect(MASTER, &cluster.sentinels())?;
    if poll {
        sentinel = sentinel.patience(Duration::ZERO);
    }
    let client = Client {
        primary: initial,
        sentinel,
        session: session(),
    };
    let mut cover = Builder::new().connect_tcp(initial, ha_cover::by_handle, client)?;
    redis_session::start(&mut cover, &session())?;
    let done = AtomicBool::new(false);
    let mut ride = Ride::default();
    let chaos = std::thread::scope(|s| {
        let chaos = s.spawn(|| chaos(&cluster, count, &done));
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
                return Err(e);
            }
            std::thread::sleep(PACE);
        }
        chaos.join().expect("the failovers")
    });
    chaos?;
    Ok(judge(
        &ride,
        initial,
        &cluster.failovers(),
        &final_list(&cluster)?,
    ))
}

/// An async client through `count` failovers.
fn ride_async(count: usize) -> io::Result<Verdict> {
    let cluster = Arc::new(SentinelCluster::start()?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let initial = cluster.primary();
    let done = Arc::new(AtomicBool::new(false));
    let chaos = {
        let (cluster, done) = (Arc::clone(&cluster), Arc::clone(&done));
        std::thread::spawn(move || chaos(&cluster, count, &done))
    };
    let sentinels = cluster.sentinels();
    let ride = runtime.block_on(async {
        let client = AsyncClient {
            primary: initial,
            sentinel: Sentinel::connect(MASTER, &sentinels)?,
            session: session(),
        };
        let mut cover = ha_cover::asynchronous::AsyncCover::builder()
            .connect_tcp(initial, ha_cover::asynchronous::by_handle, client)
            .await?;
        redis_session::start_async(&mut cover, &session()).await?;
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
                return Err(e);
            }
            tokio::time::sleep(PACE).await;
        }
        io::Result::Ok(ride)
    });
    drop(runtime);
    chaos.join().expect("the failovers")?;
    Ok(judge(
        &ride?,
        initial,
        &cluster.failovers(),
        &final_list(&cluster)?,
    ))
}

/// Prints the figures of one ride, named `name`.
fn report(name: &str, verdict: &Verdict) {
    let mut sentinels: Vec<f64> = verdict
        .failovers
        .iter()
        .map(|s| ms(s.sentinel_time()))
        .collect();
    let mut client: Vec<f64> = verdict
        .failovers
        .iter()
        .filter_map(|s| s.client_downtime().map(ms))
        .collect();
    let mut promoted: Vec<f64> = verdict
        .failovers
        .iter()
        .filter_map(|s| Some(ms(s.failover.promoted? - s.failover.killed)))
        .collect();
    let mut lag = verdict.lags_ms();
    let mut after_promotion: Vec<f64> = verdict
        .failovers
        .iter()
        .filter_map(|s| s.lag_after_promotion_ms())
        .collect();
    report_latency(&format!("{name}_leader_promotes"), &mut promoted);
    report_latency(&format!("{name}_sentinels_announce"), &mut sentinels);
    report_latency(&format!("{name}_client_downtime"), &mut client);
    report_latency(
        &format!("{name}_client_after_promotion"),
        &mut after_promotion,
    );
    report_latency(&format!("{name}_client_after_announcement"), &mut lag);
    let (acked, indeterminate, readonly) = verdict.counts;
    println!(
        "{name} failovers={} acked={acked} indeterminate={indeterminate} readonly={readonly} lost_to_async_replication={} lost_otherwise={} off_primary={} applied_twice={}",
        verdict.failovers.len(),
        verdict.lost.len(),
        verdict.vanished.len(),
        verdict.misplaced.len(),
        verdict.duplicates.len()
    );
}

/// The figures for BENCHMARKS.md: `plan.failovers` failovers with the
/// announcement as the wake-up, half as many polling, half as many async.
pub fn sentinel_failover(plan: &Plan) -> io::Result<()> {
    for program in ["redis-server", "redis-sentinel"] {
        let component = Component::Program {
            name: program,
            package: program,
        };
        if let Some(why) = missing(component) {
            println!("sentinel_failover skipped: {why}");
            return Ok(());
        }
    }
    report("sentinel_failover", &ride_sync(plan.failovers, false)?);
    let fewer = (plan.failovers / 2).max(2);
    report("sentinel_failover_polling", &ride_sync(fewer, true)?);
    report("sentinel_failover_async", &ride_async(fewer)?);
    Ok(())
}
