//! `#[ha_connection]` socket types against `ha-socket-server` really killed
//! with SIGKILL and restarted: each declared write policy, a declared EOF
//! rule, a stream resumed by its handle, over Unix sockets and TCP.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::net::UnixStream;
use std::time::Duration;

use ha_cover::{ReconnectTarget, Recoverable, WriteConnection, ha_connection};
use ha_cover_world::{SocketMode, SocketServer, read_line, stream};

const T: Duration = Duration::from_secs(10);

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect)]
struct Session {
    #[ha(recoveries)]
    reconnects: u32,
}

/// `INCR` is not idempotent: nothing the server may have seen is sent again.
#[ha_connection(unix, mode = read_write, handle = Session, write_policy = never)]
struct Counter;

#[test]
fn never_applies_every_request_once_across_real_deaths() {
    let server = SocketServer::start(SocketMode::Counter).unwrap();
    let mut counter = Counter::connect(server.unix_path().unwrap(), Session::default()).unwrap();
    for expected in 1..=20u64 {
        if expected % 4 == 0 {
            server.supervisor().kill_when_ready(T).unwrap();
        }
        counter.write_all(b"INCR\n").unwrap();
        assert_eq!(
            read_line(&mut counter).unwrap(),
            expected.to_string(),
            "no INCR lost or doubled"
        );
    }
    assert_eq!(counter.with_handle(|h| h.reconnects), 5);
    assert_eq!(counter.control().stats().indeterminate, 0);
}

#[test]
fn never_reports_a_request_whose_answer_was_lost_as_indeterminate() {
    let server = SocketServer::start(SocketMode::Counter).unwrap();
    let mut counter = Counter::connect(server.unix_path().unwrap(), Session::default()).unwrap();
    counter.write_all(b"INCR\n").unwrap();
    assert_eq!(read_line(&mut counter).unwrap(), "1");
    // The request goes out, then the server dies: whether it was applied is
    // unknown to the client, and the declaration forbids sending it again.
    server.supervisor().set_auto_restart(false);
    counter.write_all(b"INCR\n").unwrap();
    std::thread::sleep(Duration::from_millis(50));
    server.supervisor().kill_and_wait(T).unwrap();
    server.supervisor().restart();
    server.supervisor().wait_ready(T).unwrap();
    match read_line(&mut counter) {
        Ok(answer) => assert_eq!(answer, "2", "answered before it died"),
        Err(e) => assert!(ha_cover::is_indeterminate(&e), "{e}"),
    }
    counter.write_all(b"GET\n").unwrap();
    assert_eq!(
        read_line(&mut counter).unwrap(),
        "2",
        "applied once, not sent again"
    );
}

/// A dup is a `Counter` too: one recovery serves both. Each member keeps its
/// own record of what it sent unanswered, so each asks and reads its answer.
#[test]
fn a_dup_of_a_declared_socket_shares_its_recovery() {
    let server = SocketServer::start(SocketMode::Counter).unwrap();
    let mut first = Counter::connect(server.unix_path().unwrap(), Session::default()).unwrap();
    let mut second: Counter = first.dup().unwrap();
    for expected in 1..=9u64 {
        if expected % 3 == 0 {
            server.supervisor().kill_when_ready(T).unwrap();
        }
        let member = if expected % 2 == 0 {
            &mut first
        } else {
            &mut second
        };
        member.write_all(b"INCR\n").unwrap();
        assert_eq!(read_line(member).unwrap(), expected.to_string());
    }
    assert_eq!(
        first.with_handle(|h| h.reconnects),
        3,
        "one reconnection per death, for both"
    );
    assert_eq!(second.control().generation(), 3);
}

/// Echo is idempotent: the unanswered request is replayed after a reconnect.
#[ha_connection(tcp, mode = read_write, write_policy = replay)]
struct Echo;

#[test]
fn replay_resends_what_a_dead_tcp_server_did_not_answer() {
    let server = SocketServer::start_tcp(SocketMode::Echo).unwrap();
    let mut echo = Echo::connect(server.tcp_addr().unwrap()).unwrap();
    for round in 0..6 {
        let request = format!("request {round}\n");
        echo.write_all(request.as_bytes()).unwrap();
        assert_eq!(
            read_line(&mut echo).unwrap(),
            request.trim_end(),
            "round {round}"
        );
        server.supervisor().kill_when_ready(T).unwrap();
    }
    assert_eq!(echo.control().stats().recoveries, 5);
}

#[ha_connection(tcp, mode = write_only, write_policy = always)]
struct Sink;

#[test]
fn always_sends_a_failed_write_again_on_a_write_only_tcp_socket() {
    let server = SocketServer::start_tcp(SocketMode::Echo).unwrap();
    let mut sink = Sink::connect(server.tcp_addr().unwrap()).unwrap();
    sink.write_all(b"one\n").unwrap();
    server.supervisor().kill_when_ready(T).unwrap();
    // The first write after the death may be accepted by the dead connection;
    // the ones after it fail and recover.
    for _ in 0..50 {
        sink.write_all(b"more\n").unwrap();
        if sink.control().stats().recoveries > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(sink.control().stats().recoveries, 1);
}

/// A subscriber for which EOF is the end of the feed, not a dead server.
#[ha_connection(unix, mode = read_only, eof_is_failure = false)]
struct Finite;

#[test]
fn eof_is_failure_false_returns_the_end_of_a_killed_servers_stream() {
    let server = SocketServer::start(SocketMode::Stream { seed: 3, len: None }).unwrap();
    let mut raw = UnixStream::connect(server.unix_path().unwrap()).unwrap();
    raw.write_all(b"FROM 0\n").unwrap();
    let mut feed = Finite::attach(raw).unwrap();
    let mut buf = [0; 4096];
    feed.read_exact(&mut buf).unwrap();
    server.supervisor().kill_when_ready(T).unwrap();
    let mut rest = Vec::new();
    feed.read_to_end(&mut rest).unwrap();
    assert_eq!(feed.control().stats().failures, 0, "EOF was not a failure");
}

/// The stream server's handshake, replayed by the handle after a reconnect.
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
    let mut rest = request.as_bytes();
    while !rest.is_empty() {
        let n = WriteConnection::write(conn, rest)?;
        rest = &rest[n..];
    }
    Ok(())
}

#[ha_connection(unix, mode = read_only, handle = Resume)]
struct UnixFeed;

#[ha_connection(tcp, mode = read_only, handle = Resume)]
struct TcpFeed;

/// Reads an endless stream through a buffer, killing the server three times:
/// each time only once the previous death has been recovered from (over TCP,
/// bytes a dead server sent are still read before its EOF), and stopping
/// 64 KiB after the last recovery.
fn read_across_three_deaths<R: Read>(
    reader: R,
    server: &SocketServer,
    generation: impl Fn(&R) -> u64,
) -> (Vec<u8>, R) {
    const STEP: usize = 256 * 1024;
    let mut reader = BufReader::with_capacity(8192, reader);
    let mut got = Vec::new();
    let mut kills = 0;
    let mut recovered_at = None;
    loop {
        let chunk = reader.fill_buf().unwrap();
        assert!(!chunk.is_empty(), "the stream ended at {}", got.len());
        let n = chunk.len();
        got.extend_from_slice(chunk);
        reader.consume(n);
        let generation = generation(reader.get_ref());
        if generation == kills && kills < 3 && got.len() >= (kills as usize + 1) * STEP {
            server.supervisor().kill_when_ready(T).unwrap();
            kills += 1;
        }
        if generation == 3 {
            let at = *recovered_at.get_or_insert(got.len());
            if got.len() >= at + 64 * 1024 {
                return (got, reader.into_inner());
            }
        }
    }
}

#[test]
fn a_read_only_unix_feed_resumes_where_it_was_after_real_deaths() {
    let seed = 5;
    let server = SocketServer::start(SocketMode::Stream { seed, len: None }).unwrap();
    let mut raw = UnixStream::connect(server.unix_path().unwrap()).unwrap();
    raw.write_all(b"FROM 0\n").unwrap();
    let feed = UnixFeed::attach(raw, Resume::default()).unwrap();
    let (got, feed) = read_across_three_deaths(feed, &server, |f| f.control().generation());
    assert!(
        got == stream::bytes(seed, 0, got.len()),
        "the bytes differ from the server's stream"
    );
    assert_eq!(feed.with_handle(|h| h.received), got.len() as u64);
    assert_eq!(feed.with_handle(|h| h.reconnects), 3);
}

#[test]
fn a_read_only_tcp_feed_resumes_where_it_was_after_real_deaths() {
    let seed = 6;
    let server = SocketServer::start_tcp(SocketMode::Stream { seed, len: None }).unwrap();
    let mut raw = TcpStream::connect(server.tcp_addr().unwrap()).unwrap();
    raw.write_all(b"FROM 0\n").unwrap();
    let feed = TcpFeed::attach(raw, Resume::default()).unwrap();
    let (got, feed) = read_across_three_deaths(feed, &server, |f| f.control().generation());
    assert!(
        got == stream::bytes(seed, 0, got.len()),
        "the bytes differ from the server's stream"
    );
    assert_eq!(feed.with_handle(|h| h.reconnects), 3);
    let _: TcpStream = feed.into_inner();
}
