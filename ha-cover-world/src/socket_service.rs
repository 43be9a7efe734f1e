//! What `ha-socket-server` does with each connection.
//!
//! Four line protocols, each exposing a different recovery need:
//! - `echo`: every line comes back unchanged (stateless; safe to resend),
//!   except `HOLD`, never answered (a request the server had when it died),
//!   `SLOW <ms> <text>`, answered `<text>` after `<ms>` milliseconds (a
//!   request a server can die in the middle of), and `POISON`, on which the
//!   server drops the connection unanswered (a request that makes a live
//!   server hang up, every time it is sent);
//! - `hangup`: every connection is accepted and closed at once (a server that
//!   comes back just as dead);
//! - `stream`: after `FROM <n>\n` the server sends the stream of
//!   [`crate::stream`] from byte `n` (resumable by offset);
//! - `counter`: `INCR\n` answers the new value, `GET\n` the current one; the
//!   value is in a file, fsynced before the answer, so it survives a restart
//!   (not idempotent: resending an `INCR` counts twice).

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::os::unix::fs::FileTypeExt;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;

use crate::stream;

/// Which protocol the server speaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Service {
    /// Each line is answered with the same line (but `HOLD` and `POISON`).
    Echo,
    /// Every connection is closed as soon as it is accepted.
    Hangup,
    /// `FROM <n>\n`, then the stream for `seed` from byte `n` up to byte
    /// `len` (then the server closes), or forever.
    Stream {
        /// Fixes the stream's bytes.
        seed: u64,
        /// Total length of the stream, if finite.
        len: Option<u64>,
    },
    /// `INCR`/`GET` on a counter kept in `state`.
    Counter {
        /// The file that holds the value between incarnations.
        state: PathBuf,
    },
}

/// Where the server listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listen {
    /// A Unix socket; a stale socket file there is replaced.
    Unix(PathBuf),
    /// A TCP address; must be a loopback address.
    Tcp(SocketAddr),
}

/// Listens and serves each connection on its own thread, forever.
pub fn run(listen: &Listen, service: Service) -> io::Result<()> {
    let service = Arc::new(Served::new(service)?);
    match listen {
        Listen::Unix(path) => {
            remove_stale_socket(path)?;
            let listener = UnixListener::bind(path)?;
            eprintln!(
                "ha-socket-server: listening on {} ready_ns={}",
                path.display(),
                crate::clock::monotonic_ns()
            );
            for conn in listener.incoming() {
                spawn_handler(&service, conn?);
            }
        }
        Listen::Tcp(addr) => {
            if !addr.ip().is_loopback() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{addr} is not a loopback address"),
                ));
            }
            let listener = TcpListener::bind(addr)?;
            eprintln!(
                "ha-socket-server: listening on {} ready_ns={}",
                listener.local_addr()?,
                crate::clock::monotonic_ns()
            );
            for conn in listener.incoming() {
                spawn_handler(&service, conn?);
            }
        }
    }
    Ok(())
}

fn remove_stale_socket(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_socket() => fs::remove_file(path),
        Ok(_) => Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} exists and is not a socket", path.display()),
        )),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

fn spawn_handler<S: Read + Write + Send + 'static>(service: &Arc<Served>, conn: S) {
    let service = Arc::clone(service);
    thread::spawn(move || {
        // A client that goes away mid-answer is normal here (EPIPE, reset).
        let _ = service.handle(conn);
    });
}

/// A service with its shared state.
struct Served {
    service: Service,
    /// Serializes INCRs so that every answer is a distinct value.
    counter: Mutex<u64>,
}

impl Served {
    fn new(service: Service) -> io::Result<Served> {
        let value = match &service {
            Service::Counter { state } => read_counter(state)?,
            _ => 0,
        };
        Ok(Served {
            service,
            counter: Mutex::new(value),
        })
    }

    fn handle<S: Read + Write>(&self, conn: S) -> io::Result<()> {
        if self.service == Service::Hangup {
            return Ok(());
        }
        let mut conn = BufReader::new(conn);
        let mut line = Vec::new();
        loop {
            line.clear();
            if conn.read_until(b'\n', &mut line)? == 0 {
                return Ok(());
            }
            match &self.service {
                Service::Echo => match trim(&line) {
                    b"HOLD" => {}
                    b"POISON" => return Ok(()),
                    slow if slow.starts_with(b"SLOW ") => {
                        let (ms, text) = parse_slow(slow)?;
                        thread::sleep(std::time::Duration::from_millis(ms));
                        conn.get_mut().write_all(format!("{text}\n").as_bytes())?;
                    }
                    _ => conn.get_mut().write_all(&line)?,
                },
                Service::Hangup => return Ok(()),
                Service::Stream { seed, len } => {
                    let from = parse_from(&line)?;
                    return send_stream(conn.get_mut(), *seed, from, *len);
                }
                Service::Counter { state } => {
                    let answer = match trim(&line) {
                        b"INCR" => self.incr(state)?.to_string(),
                        b"GET" => self.get().to_string(),
                        _ => "ERR unknown command".to_owned(),
                    };
                    conn.get_mut().write_all(format!("{answer}\n").as_bytes())?;
                }
            }
        }
    }

    fn incr(&self, state: &Path) -> io::Result<u64> {
        let mut value = self.counter.lock().unwrap_or_else(|e| e.into_inner());
        let next = *value + 1;
        write_counter(state, next)?;
        *value = next;
        Ok(next)
    }

    fn get(&self) -> u64 {
        *self.counter.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn trim(line: &[u8]) -> &[u8] {
    line.trim_ascii_end()
}

/// `SLOW <ms> <text>`.
fn parse_slow(line: &[u8]) -> io::Result<(u64, String)> {
    let text = String::from_utf8_lossy(line);
    let mut words = text.splitn(3, ' ').skip(1);
    let ms = words.next().and_then(|ms| ms.parse().ok());
    match (ms, words.next()) {
        (Some(ms), Some(text)) => Ok((ms, text.to_owned())),
        _ => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "expected SLOW <ms> <text>",
        )),
    }
}

fn parse_from(line: &[u8]) -> io::Result<u64> {
    std::str::from_utf8(trim(line))
        .ok()
        .and_then(|l| l.strip_prefix("FROM "))
        .and_then(|n| n.trim().parse().ok())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "expected FROM <n>"))
}

fn send_stream(conn: &mut impl Write, seed: u64, from: u64, len: Option<u64>) -> io::Result<()> {
    let mut buf = vec![0; 64 * 1024];
    let mut pos = from;
    loop {
        let want = match len {
            Some(len) if pos >= len => return Ok(()),
            Some(len) => buf.len().min((len - pos) as usize),
            None => buf.len(),
        };
        stream::fill(seed, pos, &mut buf[..want]);
        conn.write_all(&buf[..want])?;
        pos += want as u64;
    }
}

fn read_counter(path: &Path) -> io::Result<u64> {
    match fs::read_to_string(path) {
        Ok(text) => text.trim().parse().map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: {e}", path.display()),
            )
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(e),
    }
}

/// Write, fsync, rename: a kill at any moment leaves the old or the new value.
fn write_counter(path: &Path, value: u64) -> io::Result<()> {
    let tmp = path.with_extension("tmp");
    let mut file = File::create(&tmp)?;
    file.write_all(format!("{value}\n").as_bytes())?;
    file.sync_all()?;
    fs::rename(&tmp, path)
}
