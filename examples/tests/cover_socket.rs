//! ha-cover against socket servers that are really killed with SIGKILL and
//! restarted: `ha-socket-server` on Unix sockets and TCP.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use ha_cover::{AttemptError, Cover, Failure, Recoverable, Transfer, WriteConnection};
use ha_cover_world::{SocketMode, SocketServer, read_line, stream};

const T: Duration = Duration::from_secs(10);

#[test]
fn a_unix_socket_client_reconnects_after_each_real_death() {
    let server = SocketServer::start(SocketMode::Echo).unwrap();
    let mut cover =
        Cover::connect_unix(server.unix_path().unwrap(), ha_cover::reconnect, ()).unwrap();
    for round in 0..5 {
        let request = format!("request {round}\n");
        cover.write_all(request.as_bytes()).unwrap();
        assert_eq!(read_line(&mut cover).unwrap(), request.trim_end());
        server.supervisor().kill_and_wait(T).unwrap();
    }
    // The last death is recovered by the next operation, which never comes.
    assert_eq!(cover.control().stats().recoveries, 4);
}

#[test]
fn a_request_after_a_real_death_is_delivered_exactly_once_over_unix_sockets() {
    let server = SocketServer::start(SocketMode::Counter).unwrap();
    let mut cover =
        Cover::connect_unix(server.unix_path().unwrap(), ha_cover::reconnect, ()).unwrap();
    for expected in 1..=20u64 {
        if expected % 4 == 0 {
            server.supervisor().kill_and_wait(T).unwrap();
            server.supervisor().wait_ready(T).unwrap();
        }
        cover.write_all(b"INCR\n").unwrap();
        assert_eq!(
            read_line(&mut cover).unwrap(),
            expected.to_string(),
            "no INCR lost or doubled"
        );
    }
    assert_eq!(cover.control().stats().recoveries, 5);
    assert_eq!(cover.control().stats().indeterminate, 0);
}

#[test]
fn an_answer_lost_in_a_real_death_is_indeterminate_under_the_default_policy() {
    let server = SocketServer::start(SocketMode::Counter).unwrap();
    let mut cover =
        Cover::connect_unix(server.unix_path().unwrap(), ha_cover::reconnect, ()).unwrap();
    cover.write_all(b"INCR\n").unwrap();
    assert_eq!(read_line(&mut cover).unwrap(), "1");
    // Stop the server from answering, send a request, then kill it: whether the
    // INCR was applied is unknown to the client.
    server.supervisor().set_auto_restart(false);
    cover.write_all(b"INCR\n").unwrap();
    std::thread::sleep(Duration::from_millis(50)); // let it be applied (or not)
    server.supervisor().kill_and_wait(T).unwrap();
    server.supervisor().restart();
    server.supervisor().wait_ready(T).unwrap();
    match read_line(&mut cover) {
        // The server answered before it died.
        Ok(answer) => assert_eq!(answer, "2"),
        Err(e) => assert!(ha_cover::is_indeterminate(&e), "{e}"),
    }
    cover.write_all(b"GET\n").unwrap();
    let value: u64 = read_line(&mut cover).unwrap().parse().unwrap();
    assert_eq!(value, 2, "the INCR was applied once, and not sent again");
}

#[test]
fn a_tcp_client_reconnects_after_each_real_death() {
    let server = SocketServer::start_tcp(SocketMode::Echo).unwrap();
    // Over TCP the first write to a dead peer is accepted and the reply read
    // fails; echo is idempotent, so the request may be replayed.
    let mut cover = ha_cover::Builder::new()
        .write_policy(ha_cover::WritePolicy::Replay)
        .connect_tcp(server.tcp_addr().unwrap(), ha_cover::reconnect, ())
        .unwrap();
    for round in 0..5 {
        let request = format!("request {round}\n");
        cover.write_all(request.as_bytes()).unwrap();
        assert_eq!(
            read_line(&mut cover).unwrap(),
            request.trim_end(),
            "round {round}"
        );
        server.supervisor().kill_and_wait(T).unwrap();
    }
    assert_eq!(cover.control().stats().recoveries, 4);
}

/// A stream client whose handshake says where to resume: the handle counts the
/// bytes received, the recovery reconnects and asks for the stream from there.
#[derive(Default)]
struct Resume {
    received: u64,
}

impl Recoverable for Resume {
    fn on_transfer(&mut self, transfer: Transfer<'_>) {
        if let Transfer::Read(bytes) = transfer {
            self.received += bytes.len() as u64;
        }
    }
}

fn resume_stream<C: ha_cover::SocketConnection + WriteConnection>(
    failure: &Failure<'_, C>,
    handle: &mut Resume,
) -> Result<C, AttemptError> {
    let mut fresh = failure.reconnect()?;
    WriteConnection::write(&mut fresh, format!("FROM {}\n", handle.received).as_bytes())?;
    Ok(fresh)
}

#[test]
fn a_stream_resumes_where_it_was_after_real_deaths() {
    let seed = 42;
    let len = 4 << 20;
    let server = SocketServer::start(SocketMode::Stream {
        seed,
        len: Some(len),
    })
    .unwrap();
    let mut stream = UnixStream::connect(server.unix_path().unwrap()).unwrap();
    stream.write_all(b"FROM 0\n").unwrap();
    let cover = Cover::attach(stream, resume_stream, Resume::default()).unwrap();
    let mut reader = BufReader::with_capacity(8192, cover);
    let mut got = Vec::with_capacity(len as usize);
    while (got.len() as u64) < len {
        let chunk = reader.fill_buf().unwrap();
        assert!(!chunk.is_empty(), "the stream ended early at {}", got.len());
        let n = chunk.len();
        got.extend_from_slice(chunk);
        reader.consume(n);
        if [1 << 20, 2 << 20, 3 << 20]
            .iter()
            .any(|mark| (got.len() - n..got.len()).contains(mark))
        {
            server.supervisor().kill_and_wait(T).unwrap();
        }
    }
    assert!(
        got == stream::bytes(seed, 0, len as usize),
        "the bytes differ from the server's stream"
    );
    assert_eq!(reader.get_ref().control().stats().recoveries, 3);
}

#[test]
fn tcp_connect_refused_while_down_is_retried_until_the_server_is_back() {
    let server = SocketServer::start_tcp(SocketMode::Echo).unwrap();
    let mut cover =
        Cover::connect_tcp(server.tcp_addr().unwrap(), ha_cover::reconnect, ()).unwrap();
    server.supervisor().set_downtime(Duration::from_millis(200));
    server.supervisor().kill_and_wait(T).unwrap();
    // The write may be accepted by the dying connection; the reply read then
    // fails. Either way the connection comes back after the downtime.
    let _ = cover
        .write_all(b"hello\n")
        .and_then(|()| read_line(&mut cover).map(drop));
    cover.write_all(b"again\n").unwrap();
    assert_eq!(read_line(&mut cover).unwrap(), "again");
    let stats = cover.control().stats();
    assert!(
        stats.attempts > 1,
        "connect was refused during the downtime: {stats:?}"
    );
}

/// A recovery waiting out a long backoff wakes when the Unix socket is bound
/// again (inotify on its directory).
#[test]
fn a_recovery_wakes_when_the_socket_is_back_not_when_the_backoff_ends() {
    let server = SocketServer::start(SocketMode::Echo).unwrap();
    let mut cover = ha_cover::Builder::new()
        .backoff(ha_cover::Backoff::fixed(Duration::from_secs(30)).without_jitter())
        .deadline(Duration::from_secs(60))
        .connect_unix(server.unix_path().unwrap(), ha_cover::reconnect, ())
        .unwrap();
    cover.write_all(b"one\n").unwrap();
    assert_eq!(read_line(&mut cover).unwrap(), "one");
    server.supervisor().set_downtime(Duration::from_millis(300));
    server.supervisor().kill_and_wait(T).unwrap();
    let started = std::time::Instant::now();
    cover.write_all(b"two\n").unwrap();
    assert_eq!(read_line(&mut cover).unwrap(), "two");
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(10),
        "woke only with the 30 s backoff: {took:?}"
    );
    assert!(
        cover.control().stats().attempts >= 2,
        "the server was down when recovery began"
    );
}
