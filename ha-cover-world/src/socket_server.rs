//! A supervised `ha-socket-server`.
//!
//! Its death looks to a client like every crashed socket server's: EOF on
//! read, `EPIPE` on write, and `ECONNREFUSED` on connect until it is back
//! (the stale Unix socket file stays, so connect is refused, not `ENOENT`).

use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::binaries::server_spec;
use crate::port::free_loopback_port;
use crate::supervisor::{Readiness, Supervisor};

/// What the socket server does (see
/// [`socket_service`](crate::socket_service)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketMode {
    /// Each line is answered with the same line; `HOLD` is never answered,
    /// and `POISON` makes the server drop the connection.
    Echo,
    /// Every connection is closed as soon as it is accepted.
    Hangup,
    /// `FROM <n>\n`, then [`stream::bytes`](crate::stream::bytes)`(seed, n, ..)`
    /// up to `len` or forever.
    Stream {
        /// Fixes the stream's bytes.
        seed: u64,
        /// Total length of the stream, if finite.
        len: Option<u64>,
    },
    /// `INCR\n` / `GET\n` on a counter that survives restarts.
    Counter,
}

/// Where a socket server listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// A Unix socket path.
    Unix(PathBuf),
    /// A loopback TCP address.
    Tcp(SocketAddr),
}

/// A supervised socket server; dropping it kills the server and removes its
/// temporary directory.
#[derive(Debug)]
pub struct SocketServer {
    // Dropped first: the server must be dead before its directory goes.
    supervisor: Supervisor,
    endpoint: Endpoint,
    _dir: TempDir,
}

impl SocketServer {
    /// Starts a server on a Unix socket and waits until it accepts.
    pub fn start(mode: SocketMode) -> io::Result<SocketServer> {
        Self::start_at(mode, false)
    }

    /// Starts a server on 127.0.0.1 (a free port) and waits until it accepts.
    pub fn start_tcp(mode: SocketMode) -> io::Result<SocketServer> {
        Self::start_at(mode, true)
    }

    fn start_at(mode: SocketMode, tcp: bool) -> io::Result<SocketServer> {
        let dir = tempfile::Builder::new().prefix("ha-socket-").tempdir()?;
        let base = dir.path();
        let (endpoint, readiness, listen) = if tcp {
            let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, free_loopback_port()?));
            (
                Endpoint::Tcp(addr),
                Readiness::Tcp(addr),
                ["--tcp".to_owned(), addr.to_string()],
            )
        } else {
            let path = base.join("server.sock");
            let arg = path.display().to_string();
            (
                Endpoint::Unix(path.clone()),
                Readiness::UnixSocket(path),
                ["--unix".to_owned(), arg],
            )
        };
        let mut spec = server_spec("ha-socket-server", readiness)?.log(base.join("server.log"));
        spec = match mode {
            SocketMode::Echo => spec.arg("echo"),
            SocketMode::Hangup => spec.arg("hangup"),
            SocketMode::Stream { seed, len } => {
                let spec = spec
                    .arg("stream")
                    .args(["--seed".to_owned(), seed.to_string()]);
                match len {
                    Some(len) => spec.args(["--len".to_owned(), len.to_string()]),
                    None => spec,
                }
            }
            SocketMode::Counter => spec.arg("counter").arg("--state").arg(base.join("counter")),
        }
        .args(listen);
        Ok(SocketServer {
            supervisor: Supervisor::start(spec)?,
            endpoint,
            _dir: dir,
        })
    }

    /// Where the server listens.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The Unix socket path, for a server started with [`start`](Self::start).
    pub fn unix_path(&self) -> Option<&Path> {
        match &self.endpoint {
            Endpoint::Unix(path) => Some(path),
            Endpoint::Tcp(_) => None,
        }
    }

    /// The TCP address, for a server started with [`start_tcp`](Self::start_tcp).
    pub fn tcp_addr(&self) -> Option<SocketAddr> {
        match &self.endpoint {
            Endpoint::Tcp(addr) => Some(*addr),
            Endpoint::Unix(_) => None,
        }
    }

    /// Connects to the Unix socket.
    pub fn connect_unix(&self) -> io::Result<UnixStream> {
        let path = self.unix_path().ok_or_else(|| not_here("a Unix socket"))?;
        UnixStream::connect(path)
    }

    /// Connects to the TCP address.
    pub fn connect_tcp(&self) -> io::Result<TcpStream> {
        TcpStream::connect(self.tcp_addr().ok_or_else(|| not_here("TCP"))?)
    }

    /// The supervisor: kill, wait for restarts, change downtime...
    pub fn supervisor(&self) -> &Supervisor {
        &self.supervisor
    }
}

fn not_here(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("this server does not listen on {what}"),
    )
}
