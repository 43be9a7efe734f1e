//! Failover across machines through Redis Sentinel: a primary, two replicas
//! and three sentinels, each its own process on a loopback port, standing in
//! for separate machines. A client appends to a list through a covered
//! connection while the primary is SIGKILLed three times; each time the
//! sentinels promote a replica, and the client, declared to ask them where the
//! primary is (`discover`) and to replay its session there (`after`), carries
//! on at the new primary a few milliseconds after they announce it.
//!
//! The log shows the client's side through the cover's events: the lost
//! connection, then, while the sentinels still name the dead primary, an
//! attempt each second (the discovery waits up to a second for their news,
//! then tries the old address in case it came back: refused), and the new
//! connection as soon as the leader of the failover promotes a replica,
//! which the other sentinels announce (`+switch-master`) a little later.
//!
//! `cargo run --example sentinel_failover` (needs `redis-server` and
//! `redis-sentinel`: `apt-get install redis-server redis-sentinel`).

use std::net::{SocketAddr, TcpStream};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ha_cover::{
    AttemptError, Builder, Cover, EventKind, Lookup, Peer, ReconnectTarget, Recoverable,
};
use ha_cover_examples::discovery::Sentinel;
use ha_cover_examples::redis_session::{self, Session};
use ha_cover_examples::ride::{Ride, judge};
use ha_cover_world::redis_node::PASSWORD;
use ha_cover_world::resp::{RedisClient, Resp};
use ha_cover_world::sentinel::MASTER;
use ha_cover_world::{self as world, Component, SentinelCluster};

/// The client's handle: the sentinels say where the primary is, the session
/// is replayed there, and the address reached is kept in `primary`.
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

/// AUTH, a check that the node is the primary (a replica is refused, and the
/// next address the sentinels gave is tried), SELECT, CLIENT SETNAME.
fn replay<C: ReconnectTarget>(conn: &mut C, client: &mut Client) -> Result<(), AttemptError> {
    redis_session::replay(conn, &client.session)
}

const FAILOVERS: usize = 3;
const T: Duration = Duration::from_secs(30);

fn main() -> ExitCode {
    for program in ["redis-server", "redis-sentinel"] {
        let component = Component::Program {
            name: program,
            package: program,
        };
        if let Some(why) = world::missing(component) {
            eprintln!("sentinel_failover: {why} (`apt-get install redis-server redis-sentinel`)");
            return ExitCode::FAILURE;
        }
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sentinel_failover: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Prints with the time since the start.
struct Log(Instant);

impl Log {
    fn line(&self, text: impl std::fmt::Display) {
        println!("[{:>7.3}s] {text}", self.0.elapsed().as_secs_f64());
    }
}

fn run() -> std::io::Result<()> {
    let log = Arc::new(Log(Instant::now()));
    log.line("starting a primary, two replicas and three sentinels on loopback ports");
    let cluster = SentinelCluster::start()?;
    let initial = cluster.primary();
    log.line(format_args!(
        "primary {initial}, replicas {:?}, sentinels {:?}",
        &cluster.nodes()[1..],
        cluster.sentinels()
    ));
    let session = Session {
        password: PASSWORD.into(),
        db: 3,
        name: "rider".into(),
    };
    let client = Client {
        primary: initial,
        failovers: 0,
        sentinel: Sentinel::connect(MASTER, &cluster.sentinels())?,
        session: session.clone(),
    };
    let events = Arc::clone(&log);
    let mut cover: Cover<TcpStream, Client> = Builder::new()
        .on_event(move |event| match &event.kind {
            EventKind::Failed { cause } => {
                events.line(format_args!("client: connection lost ({cause:?})"))
            }
            EventKind::AttemptFailed { error, .. } => {
                events.line(format_args!("client: attempt failed: {error}"));
            }
            EventKind::Recovered { downtime, .. } => events.line(format_args!(
                "client: connected to the new primary, {:.1} ms after the loss",
                downtime.as_secs_f64() * 1e3
            )),
            _ => {}
        })
        .connect_tcp(initial, ha_cover::by_handle, client)?;
    redis_session::start(&mut cover, &session)?;

    let done = AtomicBool::new(false);
    let failed = Mutex::new(None);
    let mut ride = Ride::default();
    std::thread::scope(|s| {
        s.spawn(|| {
            for _ in 0..FAILOVERS {
                std::thread::sleep(Duration::from_millis(800));
                let failover = || {
                    log.line(format_args!("SIGKILL to the primary {}", cluster.primary()));
                    let killed = cluster.kill_primary(T)?;
                    let switch = cluster.await_successor(&killed, T)?;
                    log.line(format_args!(
                        "sentinel {} announced {} as the primary, {:.0} ms after the kill",
                        switch.sentinel,
                        switch.to,
                        (switch.at - killed.at).as_secs_f64() * 1e3
                    ));
                    let failover = cluster.rejoin(&killed, &switch, T)?;
                    if let Some(promoted) = failover.promoted {
                        log.line(format_args!(
                            "(the leader had promoted {} {:.0} ms after the kill)",
                            switch.to,
                            (promoted - killed.at).as_secs_f64() * 1e3
                        ));
                    }
                    log.line(format_args!(
                        "{} restarted as a replica of {}; the group is whole again",
                        killed.from, switch.to
                    ));
                    std::io::Result::Ok(())
                };
                if let Err(e) = failover() {
                    *failed.lock().unwrap() = Some(e);
                    break;
                }
            }
            done.store(true, Ordering::SeqCst);
        });
        let mut on = initial;
        while !done.load(Ordering::SeqCst) {
            let request = ride.next_request();
            let args = request.args();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let sent = Instant::now();
            let outcome = redis_session::call(&mut cover, &args);
            let at = Instant::now();
            let primary = cover.with_handle(|h| h.primary);
            if primary != on {
                log.line(format_args!(
                    "client: writing again, on {primary} (write {} acknowledged)",
                    ride.acked.len() + 1
                ));
                on = primary;
            }
            if let Err(e) = ride.record(request, (sent, at), outcome, primary) {
                *failed.lock().unwrap() = Some(e);
                done.store(true, Ordering::SeqCst);
            }
            std::thread::sleep(Duration::from_micros(500));
        }
    });
    if let Some(e) = failed.into_inner().unwrap() {
        return Err(e);
    }
    let mut reader = RedisClient::connect_tcp(cluster.primary(), T)?;
    reader.call(&["AUTH", PASSWORD])?;
    reader.call(&["SELECT", "3"])?;
    let Resp::Array(Some(items)) = reader.call(&["LRANGE", "log", "0", "-1"])? else {
        return Err(std::io::Error::other("LRANGE"));
    };
    let list: Vec<u64> = items
        .iter()
        .filter_map(|item| match item {
            Resp::Bulk(Some(b)) => std::str::from_utf8(b).ok()?.parse().ok(),
            _ => None,
        })
        .collect();
    let verdict = judge(&ride, initial, &cluster.failovers(), &list);
    println!("{verdict}");
    println!(
        "the client rode through {} failovers with {} recoveries, and is on {}",
        cluster.failovers().len(),
        cover.with_handle(|h| h.failovers),
        cover.with_handle(|h| h.primary)
    );
    if verdict.counts.2 != 0 || !verdict.duplicates.is_empty() || !verdict.vanished.is_empty() {
        return Err(std::io::Error::other("the record does not hold"));
    }
    Ok(())
}
