//! The socket server of the world dies like any crashed socket server.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::time::Duration;

use ha_cover_world::{SocketMode, SocketServer, stream};

const T: Duration = Duration::from_secs(10);

fn errno(e: &std::io::Error) -> i32 {
    e.raw_os_error()
        .unwrap_or_else(|| panic!("not an OS error: {e}"))
}

fn with_timeouts(s: UnixStream) -> UnixStream {
    s.set_read_timeout(Some(T)).unwrap();
    s.set_write_timeout(Some(T)).unwrap();
    s
}

fn send_nosignal(fd: &impl AsRawFd, data: &[u8]) -> std::io::Result<usize> {
    // SAFETY: `data` is valid for reads of its length; the fd is open.
    let n = unsafe {
        libc::send(
            fd.as_raw_fd(),
            data.as_ptr().cast(),
            data.len(),
            libc::MSG_NOSIGNAL,
        )
    };
    if n < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}

fn line(reader: &mut impl BufRead) -> String {
    let mut s = String::new();
    reader.read_line(&mut s).unwrap();
    s
}

/// EOF on read, EPIPE on write, ECONNREFUSED on connect until it is back.
#[test]
fn unix_peer_death_gives_eof_epipe_then_econnrefused() {
    let server = SocketServer::start(SocketMode::Echo).expect("start socket server");
    let sup = server.supervisor();
    let conn = with_timeouts(server.connect_unix().unwrap());
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    (&conn).write_all(b"hello\n").unwrap();
    assert_eq!(line(&mut reader), "hello\n");

    sup.set_auto_restart(false);
    sup.kill().unwrap();
    sup.wait_deaths(1, T).unwrap();

    let mut buf = [0; 16];
    assert_eq!(reader.read(&mut buf).unwrap(), 0, "EOF from a dead peer");
    let err = send_nosignal(&conn, b"x\n").unwrap_err();
    assert_eq!(errno(&err), libc::EPIPE);
    // Rust ignores SIGPIPE, so a plain write gets EPIPE too, not a signal.
    let err = (&conn).write_all(b"x\n").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BrokenPipe);
    assert_eq!(errno(&err), libc::EPIPE);

    let err = server.connect_unix().unwrap_err();
    assert_eq!(errno(&err), libc::ECONNREFUSED, "stale socket file: {err}");

    sup.restart();
    sup.wait_restarts(1, T).unwrap();
    let conn = with_timeouts(server.connect_unix().unwrap());
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    (&conn).write_all(b"again\n").unwrap();
    assert_eq!(line(&mut reader), "again\n");
}

/// TCP: the dead peer's socket is closed by the kernel; connect is refused.
#[test]
fn tcp_peer_death_gives_eof_then_econnrefused() {
    let server = SocketServer::start_tcp(SocketMode::Echo).expect("start socket server");
    let sup = server.supervisor();
    let conn = server.connect_tcp().unwrap();
    conn.set_read_timeout(Some(T)).unwrap();
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    (&conn).write_all(b"hello\n").unwrap();
    assert_eq!(line(&mut reader), "hello\n");

    sup.set_auto_restart(false);
    sup.kill().unwrap();
    sup.wait_deaths(1, T).unwrap();

    let mut buf = [0; 16];
    assert_eq!(reader.read(&mut buf).unwrap(), 0, "FIN from the dead peer");
    // The first write after FIN is accepted locally and answered by RST;
    // one of the next gets EPIPE (or ECONNRESET, by timing).
    let failed = (0..100).find_map(|_| {
        std::thread::sleep(Duration::from_millis(1));
        send_nosignal(&conn, b"x\n").err()
    });
    let err = failed.expect("writes to a dead TCP peer fail");
    assert!(
        [libc::EPIPE, libc::ECONNRESET].contains(&errno(&err)),
        "{err}"
    );
    let err = server.connect_tcp().unwrap_err();
    assert_eq!(errno(&err), libc::ECONNREFUSED);

    sup.restart();
    sup.wait_restarts(1, T).unwrap();
    let conn = server.connect_tcp().unwrap();
    conn.set_read_timeout(Some(T)).unwrap();
    (&conn).write_all(b"back\n").unwrap();
    assert_eq!(line(&mut BufReader::new(conn)), "back\n");
}

/// A reader killed mid-stream resumes with `FROM <offset>` on the restarted
/// server and, end to end, reads exactly the stream.
#[test]
fn stream_resumes_from_an_offset_after_a_restart() {
    const SEED: u64 = 42;
    // Far more than socket buffers hold, so the kill lands mid-stream.
    const LEN: u64 = 4 << 20;
    let server = SocketServer::start(SocketMode::Stream {
        seed: SEED,
        len: Some(LEN),
    })
    .expect("start socket server");
    let sup = server.supervisor();
    let mut got = Vec::new();
    let mut buf = vec![0; 8192];
    let mut conn = with_timeouts(server.connect_unix().unwrap());
    conn.write_all(b"FROM 0\n").unwrap();
    while got.len() < 100_000 {
        let n = conn.read(&mut buf).unwrap();
        assert_ne!(n, 0, "stream ended early");
        got.extend_from_slice(&buf[..n]);
    }
    sup.kill().unwrap();
    // What was in flight still arrives, then EOF.
    loop {
        match conn.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) => panic!("a dead Unix peer gives EOF, not {e}"),
        }
    }
    assert!((got.len() as u64) < LEN, "killed before the end");
    sup.wait_restarts(1, T).unwrap();
    let mut conn = with_timeouts(server.connect_unix().unwrap());
    conn.write_all(format!("FROM {}\n", got.len()).as_bytes())
        .unwrap();
    conn.read_to_end(&mut got).unwrap();
    assert_eq!(got.len() as u64, LEN);
    assert!(
        got == stream::bytes(SEED, 0, LEN as usize),
        "stream differs"
    );
}

/// The counter is fsynced before each answer, so a restart keeps it.
#[test]
fn counter_survives_a_restart() {
    let server = SocketServer::start(SocketMode::Counter).expect("start socket server");
    let sup = server.supervisor();
    let conn = with_timeouts(server.connect_unix().unwrap());
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    for want in 1..=3 {
        (&conn).write_all(b"INCR\n").unwrap();
        assert_eq!(line(&mut reader), format!("{want}\n"));
    }
    sup.kill().unwrap();
    sup.wait_restarts(1, T).unwrap();
    let conn = with_timeouts(server.connect_unix().unwrap());
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    (&conn).write_all(b"GET\nINCR\n").unwrap();
    assert_eq!(line(&mut reader), "3\n");
    assert_eq!(line(&mut reader), "4\n");
}

/// The echo server holds `HOLD` unanswered and hangs up on `POISON`; the
/// hangup server closes every connection it accepts.
#[test]
fn echo_holds_and_hangs_up_on_poison_and_hangup_closes_at_once() {
    let echo = SocketServer::start(SocketMode::Echo).expect("start socket server");
    let conn = with_timeouts(echo.connect_unix().unwrap());
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    (&conn).write_all(b"HOLD\nnext\n").unwrap();
    assert_eq!(line(&mut reader), "next\n", "HOLD is not answered");
    let asked = std::time::Instant::now();
    (&conn).write_all(b"SLOW 50 later\n").unwrap();
    assert_eq!(line(&mut reader), "later\n");
    assert!(asked.elapsed() >= Duration::from_millis(50), "SLOW waits");
    (&conn).write_all(b"POISON\n").unwrap();
    let mut buf = [0; 16];
    assert_eq!(reader.read(&mut buf).unwrap(), 0, "POISON hangs up");
    let again = with_timeouts(echo.connect_unix().unwrap());
    let mut reader = BufReader::new(again.try_clone().unwrap());
    (&again).write_all(b"alive\n").unwrap();
    assert_eq!(line(&mut reader), "alive\n", "the server lives on");

    let hangup = SocketServer::start(SocketMode::Hangup).expect("start socket server");
    let mut conn = with_timeouts(hangup.connect_unix().unwrap());
    assert_eq!(conn.read(&mut buf).unwrap(), 0);
}
