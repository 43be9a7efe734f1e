//! A byte stream over TCP that resumes where it was, declared with
//! `#[ha_connection]`: `Feed` only reads (so it needs no write policy), and its
//! handle's `after` hook asks the restarted server for the stream from the
//! byte the cover has counted. The server is killed twice mid-stream; the
//! bytes read are exactly the server's stream.
//!
//! A killed TCP server's last bytes are still in the client's socket buffer
//! (megabytes on loopback): the client reads them, then sees the death. So the
//! example kills the server again only once the last death has been recovered.
//!
//! Run it with `cargo run --example connection_tcp`.

use std::io::{self, BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::ExitCode;
use std::time::Duration;

use ha_cover::{ReconnectTarget, Recoverable, WriteConnection, ha_connection};
use ha_cover_world::{self as world, SocketMode, SocketServer, stream};

const SEED: u64 = 7;
/// How far apart the deaths are, at the least.
const STEP: usize = 256 * 1024;

/// Counts the bytes received; after each reconnection, [`resume`] replays the
/// stream server's handshake from there.
#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after = resume)]
struct Resume {
    #[ha(offset)]
    received: u64,
    #[ha(recoveries)]
    reconnects: u32,
}

fn resume<C: ReconnectTarget>(conn: &mut C, handle: &mut Resume) -> io::Result<()> {
    let request = format!("FROM {}\n", handle.received);
    println!(
        "  reconnected; asking for the stream {}",
        request.trim_end()
    );
    let mut rest = request.as_bytes();
    while !rest.is_empty() {
        let n = WriteConnection::write(conn, rest)?;
        rest = &rest[n..];
    }
    Ok(())
}

/// A stream reader: `write` on it would not compile ("`Feed` is declared
/// `mode = read_only`, so it cannot write"), and the handshake the handle
/// replays is written on the connection, not through the cover.
#[ha_connection(tcp, mode = read_only, handle = Resume, eof_is_failure = true,
                recover_on = [default, ECONNREFUSED], deadline = 20s)]
struct Feed;

fn main() -> ExitCode {
    // This executable is also the stream server the example kills.
    world::serve_if_asked();
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            println!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> io::Result<()> {
    let server = SocketServer::start_tcp(SocketMode::Stream {
        seed: SEED,
        len: None,
    })?;
    let addr = server.tcp_addr().expect("a TCP server");
    println!(
        "stream server: pid {} at {addr}",
        server.supervisor().pid().unwrap_or(0)
    );

    // The first handshake is the client's own; the cover takes over from there.
    let mut first = TcpStream::connect(addr)?;
    first.write_all(b"FROM 0\n")?;
    let feed = Feed::attach(first, Resume::default())?;

    let mut reader = BufReader::with_capacity(8192, feed);
    let mut got = Vec::new();
    let mut kills = 0;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Err(io::Error::other(format!(
                "the stream ended at {}",
                got.len()
            )));
        }
        let n = chunk.len();
        got.extend_from_slice(chunk);
        reader.consume(n);
        let recovered = reader.get_ref().control().generation();
        if recovered == kills && kills < 2 && got.len() >= (kills as usize + 1) * STEP {
            // The restarted server may stream to us before its supervisor has
            // recorded it: wait for that, then kill it.
            server.supervisor().wait_ready(Duration::from_secs(10))?;
            let pid = server.supervisor().pid().unwrap_or(0);
            println!(
                "at byte {}: killing the stream server (pid {pid}) with SIGKILL",
                got.len()
            );
            server.supervisor().kill_and_wait(Duration::from_secs(10))?;
            kills += 1;
        }
        if recovered == 2 && got.len() >= 3 * STEP {
            break;
        }
    }
    if got != stream::bytes(SEED, 0, got.len()) {
        return Err(io::Error::other(
            "the bytes differ from the server's stream",
        ));
    }
    let feed = reader.get_ref();
    println!(
        "{} bytes, exactly the server's stream, across {} reconnection(s)",
        feed.with_handle(|h| h.received),
        feed.with_handle(|h| h.reconnects)
    );
    Ok(())
}
