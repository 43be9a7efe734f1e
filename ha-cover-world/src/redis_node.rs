//! One redis-server of a replication group: a supervised process on a loopback
//! port, with a config file of its own that redis (and Sentinel, through
//! `CONFIG REWRITE`) keep up to date, so a restart keeps its role.
//!
//! Nodes keep no data on disk (`save ""`, no append-only file): a replica
//! holds what it replicated, and a node that rejoins after its death resyncs
//! from the primary. What a primary acknowledged and had not yet sent to a
//! replica when it was killed is lost: that is Redis's asynchronous
//! replication, which the tests count.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::port::free_loopback_port;
use crate::resp::{RedisClient, Resp};
use crate::supervisor::{Readiness, ServerSpec, Supervisor};

/// The password of every node and what the sentinels and replicas use to log
/// in: clients replay `AUTH` on every new connection.
pub const PASSWORD: &str = "ha-cover-test";

/// Bounds each call to a node from the world: a probe must never hang.
const CALL_TIMEOUT: Duration = Duration::from_millis(500);

/// A supervised redis node; dropping it kills the process.
#[derive(Debug)]
pub struct RedisNode {
    supervisor: Supervisor,
    addr: SocketAddr,
    config: PathBuf,
}

impl RedisNode {
    /// Starts a node in `dir`, a replica of `primary` when given, and waits
    /// until it answers. It is not restarted when it dies:
    /// [`rejoin`](Self::rejoin) brings it back.
    pub fn start(dir: PathBuf, primary: Option<SocketAddr>) -> io::Result<RedisNode> {
        std::fs::create_dir_all(&dir)?;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, free_loopback_port()?));
        let config = dir.join("redis.conf");
        let mut text = format!(
            "port {port}\n\
             bind 127.0.0.1\n\
             dir {dir}\n\
             save \"\"\n\
             appendonly no\n\
             requirepass {PASSWORD}\n\
             masterauth {PASSWORD}\n\
             # A replica that joins is synced at once, not after the default 5 s.\n\
             repl-diskless-sync-delay 0\n",
            port = addr.port(),
            dir = dir.display(),
        );
        if let Some(primary) = primary {
            text.push_str(&replicaof(primary));
        }
        std::fs::write(&config, text)?;
        let probe = Readiness::Check(Arc::new(move || {
            call(addr, &["PING"]).is_ok_and(|r| r == Resp::Simple("PONG".into()))
        }));
        let spec = ServerSpec::new(format!("redis-{}", addr.port()), "redis-server", probe)
            .arg(&config)
            .log(dir.join("server.log"))
            .auto_restart(false);
        Ok(RedisNode {
            supervisor: Supervisor::start(spec)?,
            addr,
            config,
        })
    }

    /// Where the node listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The supervisor: kill, wait for deaths...
    pub fn supervisor(&self) -> &Supervisor {
        &self.supervisor
    }

    /// Restarts the dead node as a replica of `primary` (its config file is
    /// rewritten first: a killed primary's file still says it is one) and
    /// waits until it has synced with it.
    pub fn rejoin(&self, primary: SocketAddr, timeout: Duration) -> io::Result<()> {
        let text = std::fs::read_to_string(&self.config)?;
        let mut kept: String = text
            .lines()
            .filter(|line| {
                let word = line.split_whitespace().next().unwrap_or("");
                !word.eq_ignore_ascii_case("replicaof") && !word.eq_ignore_ascii_case("slaveof")
            })
            .map(|line| format!("{line}\n"))
            .collect();
        kept.push_str(&replicaof(primary));
        std::fs::write(&self.config, kept)?;
        let restarts = self.supervisor.restarts();
        self.supervisor.restart();
        self.supervisor.wait_restarts(restarts + 1, timeout)?;
        self.wait_synced(primary, timeout)
    }

    /// Waits until the node is a replica of `primary` with its link up.
    pub fn wait_synced(&self, primary: SocketAddr, timeout: Duration) -> io::Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            let info = self.info_replication().unwrap_or_default();
            let field = |name: &str| {
                info.lines()
                    .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
                    .map(str::trim)
            };
            if field("role") == Some("slave")
                && field("master_port") == Some(&primary.port().to_string())
                && field("master_link_status") == Some("up")
            {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "redis {} did not sync with {primary} within {timeout:?}:\n{info}\n--- log ---\n{}",
                        self.addr,
                        self.supervisor.log_tail()
                    ),
                ));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// `INFO replication`, as text.
    pub fn info_replication(&self) -> io::Result<String> {
        match call(self.addr, &["INFO", "replication"])? {
            Resp::Bulk(Some(text)) => Ok(String::from_utf8_lossy(&text).into_owned()),
            other => Err(io::Error::other(format!("INFO replication: {other:?}"))),
        }
    }

    /// The role the node reports (`master` or `slave`).
    pub fn role(&self) -> io::Result<String> {
        match call(self.addr, &["ROLE"])? {
            Resp::Array(Some(items)) => match items.first() {
                Some(Resp::Bulk(Some(role))) => Ok(String::from_utf8_lossy(role).into_owned()),
                other => Err(io::Error::other(format!("ROLE: {other:?}"))),
            },
            other => Err(io::Error::other(format!("ROLE: {other:?}"))),
        }
    }
}

fn replicaof(primary: SocketAddr) -> String {
    format!("replicaof {} {}\n", primary.ip(), primary.port())
}

/// One command on a fresh, authenticated connection.
pub fn call(addr: SocketAddr, args: &[&str]) -> io::Result<Resp> {
    let mut client = RedisClient::connect_tcp(addr, CALL_TIMEOUT)?;
    match client.call(&["AUTH", PASSWORD])? {
        Resp::Simple(_) => client.call(args),
        other => Err(io::Error::other(format!("AUTH: {other:?}"))),
    }
}
