//! A supervised `redis-server` whose data survives its deaths.
//!
//! Every write is in the append-only file and fsynced before redis answers
//! (`appendfsync always`), and there are no RDB snapshots (`save ""`), so a
//! SIGKILLed redis comes back with everything it acknowledged. It listens on a
//! Unix socket in its temporary directory, and optionally on 127.0.0.1.

use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tempfile::TempDir;

use crate::port::free_loopback_port;
use crate::resp::{RedisClient, Resp};
use crate::supervisor::{Readiness, ServerSpec, Supervisor};

/// Bounds each readiness probe: the monitor thread must never hang on a
/// redis that accepted but does not answer.
const PROBE_TIMEOUT: Duration = Duration::from_millis(200);

/// A supervised redis; dropping it kills redis and removes its directory.
#[derive(Debug)]
pub struct RedisServer {
    // Dropped first: redis must be dead before its directory goes.
    supervisor: Supervisor,
    socket: PathBuf,
    tcp: Option<SocketAddr>,
    dir: TempDir,
}

impl RedisServer {
    /// Starts redis on a Unix socket and waits until it answers PING.
    pub fn start() -> io::Result<RedisServer> {
        Self::start_with(false)
    }

    /// Like [`start`](Self::start), also listening on 127.0.0.1 (a free port).
    pub fn start_tcp() -> io::Result<RedisServer> {
        Self::start_with(true)
    }

    fn start_with(tcp: bool) -> io::Result<RedisServer> {
        let dir = tempfile::Builder::new().prefix("ha-redis-").tempdir()?;
        let base = dir.path();
        let socket = base.join("redis.sock");
        let tcp = match tcp {
            true => Some(SocketAddr::from((
                Ipv4Addr::LOCALHOST,
                free_loopback_port()?,
            ))),
            false => None,
        };
        let probe_socket = socket.clone();
        let readiness = Readiness::Check(Arc::new(move || ping(&probe_socket)));
        let port = tcp.map_or(0, |a| a.port()).to_string();
        let spec = ServerSpec::new("redis-server", "redis-server", readiness)
            .args([
                "--port",
                &port,
                "--bind",
                "127.0.0.1",
                "--protected-mode",
                "yes",
            ])
            .arg("--unixsocket")
            .arg(&socket)
            .args(["--unixsocketperm", "700", "--dir"])
            .arg(base)
            .args([
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--save",
                "",
            ])
            .args(["--daemonize", "no", "--logfile", ""])
            .log(base.join("server.log"));
        Ok(RedisServer {
            supervisor: Supervisor::start(spec)?,
            socket,
            tcp,
            dir,
        })
    }

    /// The Unix socket redis listens on.
    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// The TCP address, for a server started with [`start_tcp`](Self::start_tcp).
    pub fn tcp_addr(&self) -> Option<SocketAddr> {
        self.tcp
    }

    /// Redis's working directory (the append-only files are here).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// A client on the Unix socket with 5 s I/O timeouts.
    pub fn client(&self) -> io::Result<RedisClient<UnixStream>> {
        RedisClient::connect_unix(&self.socket, Duration::from_secs(5))
    }

    /// A client on TCP with 5 s I/O timeouts.
    pub fn tcp_client(&self) -> io::Result<RedisClient<TcpStream>> {
        let addr = self.tcp.ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "redis was started without TCP")
        })?;
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
        stream.set_read_timeout(Some(Duration::from_secs(5)))?;
        stream.set_write_timeout(Some(Duration::from_secs(5)))?;
        Ok(RedisClient::new(stream))
    }

    /// The supervisor: kill, wait for restarts, change downtime...
    pub fn supervisor(&self) -> &Supervisor {
        &self.supervisor
    }
}

/// Ready means PONG, not just accepting: while redis loads its append-only
/// file it accepts and answers `-LOADING`.
fn ping(socket: &Path) -> bool {
    RedisClient::connect_unix(socket, PROBE_TIMEOUT)
        .and_then(|mut c| c.call(&["PING"]))
        .is_ok_and(|r| r == Resp::Simple("PONG".to_owned()))
}
