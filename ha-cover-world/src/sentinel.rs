//! Redis with Sentinel: a primary, replicas and sentinels, each a separate
//! process on a loopback port, standing in for separate machines.
//!
//! [`SentinelCluster::fail_over`] does what a machine failure does: the
//! primary is SIGKILLed and stays down until the sentinels have agreed on a
//! new one and announced it (`+switch-master`); then the old primary is
//! restarted as a replica of the new one, as an operator (or an orchestrator)
//! would bring the machine back, and the world waits until the sentinels see
//! the group whole again, ready for the next failure.
//!
//! The sentinels run with Redis's own timers (a ping each second) and
//! `down-after-milliseconds` of 2 s. With less, a sentinel that has just
//! learned of a switch can declare the new primary down before its first ping
//! to it is answered (its new link waits for the next ping period), and fail
//! over a healthy primary: seen here with 100 ms, 400 ms and, now and then,
//! 1 s.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::port::free_loopback_port;
use crate::redis_node::{PASSWORD, RedisNode};
use crate::resp::{RedisClient, Resp};
use crate::supervisor::{Readiness, ServerSpec, Supervisor};
use crate::switch_watch::{Switch, SwitchWatch};

/// The name the sentinels know the group by.
pub const MASTER: &str = "mymaster";

/// Bounds each call to a sentinel from the world.
const CALL_TIMEOUT: Duration = Duration::from_millis(500);

/// How the group is set up.
#[derive(Debug, Clone, Copy)]
pub struct SentinelConfig {
    /// Replicas besides the primary.
    pub replicas: usize,
    /// Sentinels watching them.
    pub sentinels: usize,
    /// Sentinels that must agree the primary is down.
    pub quorum: usize,
    /// How long a primary may not answer before a sentinel thinks it down.
    pub down_after: Duration,
    /// Sentinel's `failover-timeout`: also how long a failed election waits
    /// (twice this) before the next try.
    pub failover_timeout: Duration,
}

impl Default for SentinelConfig {
    fn default() -> Self {
        SentinelConfig {
            replicas: 2,
            sentinels: 3,
            quorum: 2,
            down_after: Duration::from_millis(2000),
            failover_timeout: Duration::from_millis(2000),
        }
    }
}

/// One failover, as the world saw it.
#[derive(Debug, Clone, Copy)]
pub struct Failover {
    /// The primary that was killed.
    pub from: SocketAddr,
    /// The replica the sentinels promoted.
    pub to: SocketAddr,
    /// When SIGKILL was sent.
    pub killed: Instant,
    /// When the supervisor saw the process gone: a reply it sent before may
    /// reach a client after `killed`, none after this.
    pub died: Instant,
    /// When the first sentinel announced the new primary (`+switch-master`).
    pub announced: Instant,
    /// When the leader of the failover promoted it (`+promoted-slave`), if
    /// the world heard it: the moment the new primary takes writes, shortly
    /// before the other sentinels learn of it and announce it.
    pub promoted: Option<Instant>,
    /// When the old primary was back as a replica and the sentinels saw the
    /// group whole again.
    pub settled: Instant,
}

impl Failover {
    /// The failover as the sentinels see it: from the kill to their
    /// announcement.
    pub fn sentinel_time(&self) -> Duration {
        self.announced - self.killed
    }
}

/// A primary the world killed, down until [`SentinelCluster::rejoin`].
#[derive(Debug, Clone, Copy)]
pub struct Killed {
    /// Its address.
    pub from: SocketAddr,
    /// When SIGKILL was sent.
    pub at: Instant,
    /// When the supervisor saw it gone.
    pub died: Instant,
}

#[derive(Debug)]
struct SentinelProcess {
    supervisor: Supervisor,
    addr: SocketAddr,
}

/// A primary, its replicas and the sentinels watching them. Dropping it stops
/// every process and removes their directories.
#[derive(Debug)]
pub struct SentinelCluster {
    // Dropped in this order: the subscriptions before the sentinels, the
    // processes before their directory.
    watch: SwitchWatch,
    sentinels: Vec<SentinelProcess>,
    nodes: Vec<RedisNode>,
    primary: Mutex<SocketAddr>,
    failovers: Mutex<Vec<Failover>>,
    config: SentinelConfig,
    dir: TempDir,
}

impl SentinelCluster {
    /// Starts the default group (a primary, two replicas, three sentinels)
    /// and waits until the sentinels know all of it.
    pub fn start() -> io::Result<SentinelCluster> {
        Self::start_with(SentinelConfig::default())
    }

    /// Starts a group as `config` says.
    pub fn start_with(config: SentinelConfig) -> io::Result<SentinelCluster> {
        let dir = tempfile::Builder::new().prefix("ha-sentinel-").tempdir()?;
        let primary = RedisNode::start(dir.path().join("node-0"), None)?;
        let primary_addr = primary.addr();
        let mut nodes = vec![primary];
        for i in 1..=config.replicas {
            nodes.push(RedisNode::start(
                dir.path().join(format!("node-{i}")),
                Some(primary_addr),
            )?);
        }
        // The sentinels learn the replicas from the primary's first INFO:
        // they must be connected by then, or the sentinels wait 10 s for the
        // next one.
        for node in &nodes[1..] {
            node.wait_synced(primary_addr, Duration::from_secs(10))?;
        }
        let sentinels = (0..config.sentinels)
            .map(|i| start_sentinel(&dir, i, primary_addr, &config))
            .collect::<io::Result<Vec<_>>>()?;
        let addrs: Vec<SocketAddr> = sentinels.iter().map(|s| s.addr).collect();
        let cluster = SentinelCluster {
            watch: SwitchWatch::start(MASTER, &addrs)?,
            sentinels,
            nodes,
            primary: Mutex::new(primary_addr),
            failovers: Mutex::new(Vec::new()),
            config,
            dir,
        };
        cluster.wait_settled(Duration::from_secs(20))?;
        Ok(cluster)
    }

    /// The sentinels' addresses.
    pub fn sentinels(&self) -> Vec<SocketAddr> {
        self.sentinels.iter().map(|s| s.addr).collect()
    }

    /// The data nodes' addresses, the first started first.
    pub fn nodes(&self) -> Vec<SocketAddr> {
        self.nodes.iter().map(RedisNode::addr).collect()
    }

    /// The node the world last saw promoted (or started as the primary).
    pub fn primary(&self) -> SocketAddr {
        *self.primary.lock().unwrap()
    }

    /// The node at `addr`.
    pub fn node(&self, addr: SocketAddr) -> Option<&RedisNode> {
        self.nodes.iter().find(|n| n.addr() == addr)
    }

    /// Every failover so far.
    pub fn failovers(&self) -> Vec<Failover> {
        self.failovers.lock().unwrap().clone()
    }

    /// Every `+switch-master` heard so far.
    pub fn switches(&self) -> Vec<Switch> {
        self.watch.switches()
    }

    /// Where the group's files are (a `server.log` per process).
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// Kills the primary, waits for the sentinels to announce its successor,
    /// restarts it as a replica of the successor and waits until the
    /// sentinels see the group whole again.
    pub fn fail_over(&self, timeout: Duration) -> io::Result<Failover> {
        let killed = self.kill_primary(timeout)?;
        let switch = self.await_successor(&killed, timeout)?;
        self.rejoin(&killed, &switch, timeout)
    }

    /// The first step of [`fail_over`](Self::fail_over): SIGKILL to the
    /// primary, which stays down.
    pub fn kill_primary(&self, timeout: Duration) -> io::Result<Killed> {
        let from = self.primary();
        let node = self.node(from).expect("the primary is one of the nodes");
        let deaths = node.supervisor().deaths();
        node.supervisor()
            .kill()
            .ok_or_else(|| io::Error::other(format!("the primary {from} was not running")))?;
        node.supervisor().wait_deaths(deaths + 1, timeout)?;
        let last = node.supervisor().history().pop().expect("it ran");
        Ok(Killed {
            from,
            at: last.killed.expect("kill records when it was sent"),
            died: last.died.expect("its death was seen"),
        })
    }

    /// The second step: waits for a sentinel to announce the new primary.
    pub fn await_successor(&self, killed: &Killed, timeout: Duration) -> io::Result<Switch> {
        let switch = self
            .watch
            .wait_switch_from(killed.from, killed.at, timeout)
            .map_err(|e| self.with_logs(e))?;
        *self.primary.lock().unwrap() = switch.to;
        Ok(switch)
    }

    /// The last step: restarts the killed primary as a replica of the new
    /// one and waits until the sentinels see the group whole again.
    pub fn rejoin(
        &self,
        killed: &Killed,
        switch: &Switch,
        timeout: Duration,
    ) -> io::Result<Failover> {
        let node = self
            .node(killed.from)
            .expect("the killed node is one of the nodes");
        node.rejoin(switch.to, timeout)?;
        self.wait_settled(timeout)?;
        let failover = Failover {
            from: killed.from,
            to: switch.to,
            killed: killed.at,
            died: killed.died,
            announced: switch.at,
            promoted: self
                .watch
                .promotion_from(killed.from, killed.at)
                .filter(|p| p.replica == switch.to)
                .map(|p| p.at),
            settled: Instant::now(),
        };
        self.failovers.lock().unwrap().push(failover);
        Ok(failover)
    }

    /// Waits until every sentinel names the primary the world knows, sees
    /// every other node as a healthy replica and every other sentinel, and no
    /// failover is under way.
    pub fn wait_settled(&self, timeout: Duration) -> io::Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            let why = self.unsettled();
            let Some(why) = why else { return Ok(()) };
            if Instant::now() >= deadline {
                return Err(self.with_logs(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("the group did not settle within {timeout:?}: {why}"),
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Why the group is not settled, or `None`.
    fn unsettled(&self) -> Option<String> {
        let primary = self.primary();
        for sentinel in &self.sentinels {
            let at = sentinel.addr;
            match primary_by(at) {
                Ok(named) if named == primary => {}
                Ok(named) => return Some(format!("sentinel {at} names {named}, not {primary}")),
                Err(e) => return Some(format!("sentinel {at}: {e}")),
            }
            let master = match call(at, &["SENTINEL", "MASTER", MASTER]).map(fields) {
                Ok(master) => master,
                Err(e) => return Some(format!("sentinel {at}: {e}")),
            };
            let field = |name: &str| master.iter().find(|(k, _)| k == name).map(|(_, v)| v);
            if field("flags").map(String::as_str) != Some("master") {
                return Some(format!(
                    "sentinel {at} flags the primary {:?}",
                    field("flags")
                ));
            }
            let others = (self.sentinels.len() - 1).to_string();
            if field("num-other-sentinels") != Some(&others) {
                return Some(format!(
                    "sentinel {at} knows {:?} other sentinels",
                    field("num-other-sentinels")
                ));
            }
            let replicas = match call(at, &["SENTINEL", "REPLICAS", MASTER]) {
                Ok(Resp::Array(Some(items))) => items.into_iter().map(fields).collect::<Vec<_>>(),
                other => return Some(format!("sentinel {at}: REPLICAS {other:?}")),
            };
            let healthy = replicas
                .iter()
                .filter(|r| r.iter().any(|(k, v)| k == "flags" && v == "slave"))
                .count();
            if healthy != self.config.replicas {
                return Some(format!(
                    "sentinel {at} sees {healthy} healthy replicas of {}: {replicas:?}",
                    self.config.replicas
                ));
            }
        }
        None
    }

    /// `error`, with the end of every process's log; the whole logs are
    /// kept in a directory that outlives the group, named in the error.
    fn with_logs(&self, error: io::Error) -> io::Error {
        let mut text = error.to_string();
        let kept = std::env::temp_dir().join(format!(
            "ha-sentinel-logs-{}-{}",
            std::process::id(),
            self.primary().port()
        ));
        if copy_logs(self.dir.path(), &kept).is_ok() {
            text.push_str(&format!("\n(every log is kept in {})", kept.display()));
        }
        for sentinel in &self.sentinels {
            text.push_str(&format!(
                "\n--- sentinel {} ---\n{}",
                sentinel.addr,
                sentinel.supervisor.log_tail()
            ));
        }
        io::Error::new(error.kind(), text)
    }
}

fn start_sentinel(
    dir: &TempDir,
    i: usize,
    primary: SocketAddr,
    config: &SentinelConfig,
) -> io::Result<SentinelProcess> {
    let dir = dir.path().join(format!("sentinel-{i}"));
    std::fs::create_dir_all(&dir)?;
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, free_loopback_port()?));
    let path = dir.join("sentinel.conf");
    std::fs::write(
        &path,
        format!(
            "port {port}\n\
             bind 127.0.0.1\n\
             dir {dir}\n\
             sentinel monitor {MASTER} {ip} {primary_port} {quorum}\n\
             sentinel auth-pass {MASTER} {PASSWORD}\n\
             sentinel down-after-milliseconds {MASTER} {down}\n\
             sentinel failover-timeout {MASTER} {timeout}\n",
            port = addr.port(),
            dir = dir.display(),
            ip = primary.ip(),
            primary_port = primary.port(),
            quorum = config.quorum,
            down = config.down_after.as_millis(),
            timeout = config.failover_timeout.as_millis(),
        ),
    )?;
    let probe = Readiness::Check(Arc::new(move || {
        call(addr, &["PING"]).is_ok_and(|r| r == Resp::Simple("PONG".into()))
    }));
    let spec = ServerSpec::new(format!("sentinel-{}", addr.port()), "redis-sentinel", probe)
        .arg(&path)
        .log(dir.join("server.log"));
    Ok(SentinelProcess {
        supervisor: Supervisor::start(spec)?,
        addr,
    })
}

/// One command to a sentinel (sentinels take no password here).
pub fn call(sentinel: SocketAddr, args: &[&str]) -> io::Result<Resp> {
    RedisClient::connect_tcp(sentinel, CALL_TIMEOUT)?.call(args)
}

/// The primary `sentinel` names for the group.
pub fn primary_by(sentinel: SocketAddr) -> io::Result<SocketAddr> {
    match call(sentinel, &["SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER])? {
        Resp::Array(Some(items)) => match &items[..] {
            [Resp::Bulk(Some(ip)), Resp::Bulk(Some(port))] => format!(
                "{}:{}",
                String::from_utf8_lossy(ip),
                String::from_utf8_lossy(port)
            )
            .parse()
            .map_err(io::Error::other),
            other => Err(io::Error::other(format!(
                "GET-MASTER-ADDR-BY-NAME: {other:?}"
            ))),
        },
        other => Err(io::Error::other(format!(
            "GET-MASTER-ADDR-BY-NAME: {other:?}"
        ))),
    }
}

/// A flat array of names and values, as `SENTINEL MASTER` answers.
fn fields(reply: Resp) -> Vec<(String, String)> {
    let Resp::Array(Some(items)) = reply else {
        return Vec::new();
    };
    let text = |r: &Resp| match r {
        Resp::Bulk(Some(b)) => String::from_utf8_lossy(b).into_owned(),
        other => format!("{other:?}"),
    };
    items
        .chunks(2)
        .filter_map(|pair| Some((text(pair.first()?), text(pair.get(1)?))))
        .collect()
}

/// Copies each process's `server.log` under `from` to `to`.
fn copy_logs(from: &std::path::Path, to: &std::path::Path) -> io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let log = entry.path().join("server.log");
        if log.is_file() {
            std::fs::copy(
                &log,
                to.join(format!("{}.log", entry.file_name().to_string_lossy())),
            )?;
        }
    }
    Ok(())
}
