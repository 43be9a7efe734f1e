//! A counter service over a Unix socket, declared with `#[ha_connection]`:
//! `Counter` reads and writes, reconnects through its handle, and says what
//! recovery may send again: `write_policy = never`, since `INCR` is not
//! idempotent. The server is killed between requests; every `INCR` is applied
//! exactly once, and the counter (kept by the server across restarts) goes on
//! from where it was.
//!
//! Run it with `cargo run --example connection_unix`.

use std::io::{self, Read, Write};
use std::process::ExitCode;
use std::time::Duration;

use ha_cover::{Recoverable, ha_connection};
use ha_cover_world::{self as world, SocketMode, SocketServer};

/// Reconnects to the same socket path and counts the reconnections.
#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect)]
struct Session {
    #[ha(recoveries)]
    reconnects: u32,
}

/// A counter client. A socket has no position: `seek` on it would not compile.
#[ha_connection(unix, mode = read_write, handle = Session, write_policy = never,
                backoff = exponential(1ms, 200ms), deadline = 10s)]
struct Counter;

fn main() -> ExitCode {
    // This executable is also the socket server the example kills.
    world::serve_if_asked();
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            println!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn read_line(conn: &mut Counter) -> io::Result<String> {
    let mut line = Vec::new();
    let mut byte = [0];
    loop {
        match conn.read(&mut byte)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            _ if byte[0] == b'\n' => return String::from_utf8(line).map_err(io::Error::other),
            _ => line.push(byte[0]),
        }
    }
}

fn run() -> io::Result<()> {
    let server = SocketServer::start(SocketMode::Counter)?;
    let path = server.unix_path().expect("a Unix socket server");
    println!(
        "counter server: pid {} at {}",
        server.supervisor().pid().unwrap_or(0),
        path.display()
    );

    let mut counter = Counter::connect(path, Session::default())?;
    let mut values = Vec::new();
    for round in 1..=6 {
        counter.write_all(b"INCR\n")?;
        let value: u64 = read_line(&mut counter)?.parse().map_err(io::Error::other)?;
        println!("INCR -> {value}");
        values.push(value);
        if round % 2 == 0 && round < 6 {
            // The restarted server may serve us before its supervisor has
            // recorded it: wait for that, then kill it.
            server.supervisor().wait_ready(Duration::from_secs(10))?;
            let pid = server.supervisor().pid().unwrap_or(0);
            println!("killing the counter server (pid {pid}) with SIGKILL");
            server.supervisor().kill_and_wait(Duration::from_secs(10))?;
        }
    }
    if values != (1..=6).collect::<Vec<u64>>() {
        return Err(io::Error::other(format!(
            "an INCR was lost or applied twice: {values:?}"
        )));
    }
    println!(
        "every INCR applied once across {} reconnection(s)",
        counter.with_handle(|h| h.reconnects)
    );
    Ok(())
}
