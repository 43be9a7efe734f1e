//! Socket write policies: what is sent again after the peer died, and what the
//! caller is told when that cannot be known.

mod common;

use std::io::Write;
use std::os::unix::net::UnixStream;

use common::echo::{EchoServer, read_line};
use ha_cover::fault::{Faulty, Plan};
use ha_cover::{AttemptError, Backoff, Builder, Cover, Failure, WriteConnection, WritePolicy};

type Conn = Faulty<UnixStream>;

/// Reconnects and reads the new connection's greeting, as a client's handshake would.
fn reconnect_and_greet(failure: &Failure<'_, Conn>, _: &mut ()) -> Result<Conn, AttemptError> {
    let mut fresh = failure.reconnect()?;
    let greeting = read_line(&mut fresh)?;
    assert!(greeting.starts_with("HELLO "), "{greeting}");
    Ok(fresh)
}

fn connect(server: &EchoServer, plan: &Plan, policy: WritePolicy) -> Cover<Conn> {
    let stream = plan.wrap(UnixStream::connect(&server.path).unwrap());
    let mut cover = Builder::new()
        .backoff(Backoff::none())
        .write_policy(policy)
        .attach(stream, reconnect_and_greet, ())
        .unwrap();
    assert_eq!(read_line(&mut cover).unwrap(), "HELLO 0");
    cover
}

#[test]
fn a_request_the_server_cannot_have_seen_is_sent_on_the_new_connection() {
    for policy in [WritePolicy::Never, WritePolicy::Always, WritePolicy::Replay] {
        let server = EchoServer::start();
        let plan = Plan::new();
        let mut cover = connect(&server, &plan, policy);
        cover.write_all(b"one\n").unwrap();
        assert_eq!(read_line(&mut cover).unwrap(), "one");
        plan.kill(libc::EPIPE); // the server died while the client was idle
        cover.write_all(b"two\n").unwrap();
        assert_eq!(read_line(&mut cover).unwrap(), "two", "{policy:?}");
        assert_eq!(
            server.wait_for(2),
            [(0, "one".into()), (1, "two".into())],
            "{policy:?}: exactly once"
        );
        assert_eq!(cover.control().stats().recoveries, 1);
    }
}

#[test]
fn never_reports_a_lost_answer_as_indeterminate_and_sends_nothing_twice() {
    let server = EchoServer::start();
    let plan = Plan::new();
    let mut cover = connect(&server, &plan, WritePolicy::Never);
    cover.write_all(b"INCR\n").unwrap();
    server.wait_for(1);
    plan.kill(libc::ECONNRESET); // the server died after reading, before answering
    let err = read_line(&mut cover).unwrap_err();
    assert!(ha_cover::is_indeterminate(&err), "{err}");
    let detail = err
        .get_ref()
        .unwrap()
        .downcast_ref::<ha_cover::Indeterminate>()
        .unwrap();
    assert_eq!(
        (detail.unanswered, detail.errno),
        (5, Some(libc::ECONNRESET))
    );
    assert_eq!(cover.control().stats().indeterminate, 1);
    // The connection is back and usable; the caller decides about INCR.
    cover.write_all(b"GET\n").unwrap();
    assert_eq!(read_line(&mut cover).unwrap(), "GET");
    assert_eq!(server.wait_for(2), [(0, "INCR".into()), (1, "GET".into())]);
}

#[test]
fn replay_sends_the_unanswered_bytes_again_then_reads_the_answer() {
    let server = EchoServer::start();
    let plan = Plan::new();
    let mut cover = connect(&server, &plan, WritePolicy::Replay);
    cover.write_all(b"SET ").unwrap();
    cover.write_all(b"k v\n").unwrap();
    server.wait_for(1);
    plan.hang_up();
    assert_eq!(read_line(&mut cover).unwrap(), "SET k v");
    assert_eq!(
        server.wait_for(2),
        [(0, "SET k v".into()), (1, "SET k v".into())],
        "at least once"
    );
    // Answered: nothing is replayed after the next failure.
    cover.write_all(b"PING\n").unwrap();
    assert_eq!(read_line(&mut cover).unwrap(), "PING");
    plan.kill(libc::EPIPE);
    cover.write_all(b"LAST\n").unwrap();
    assert_eq!(read_line(&mut cover).unwrap(), "LAST");
    assert_eq!(
        server.wait_for(4)[2..],
        [(1, "PING".into()), (2, "LAST".into())]
    );
}

#[test]
fn replay_past_its_capacity_is_indeterminate() {
    let server = EchoServer::start();
    let plan = Plan::new();
    let stream = plan.wrap(UnixStream::connect(&server.path).unwrap());
    let mut cover = Builder::new()
        .backoff(Backoff::none())
        .write_policy(WritePolicy::Replay)
        .replay_capacity(8)
        .attach(stream, reconnect_and_greet, ())
        .unwrap();
    read_line(&mut cover).unwrap();
    cover
        .write_all(b"a request longer than eight bytes\n")
        .unwrap();
    server.wait_for(1);
    plan.kill(libc::ECONNRESET);
    assert!(ha_cover::is_indeterminate(
        &read_line(&mut cover).unwrap_err()
    ));
}

#[test]
fn always_resends_a_failed_write_even_after_unanswered_bytes() {
    for (policy, resent) in [(WritePolicy::Always, true), (WritePolicy::Never, false)] {
        let server = EchoServer::start();
        let plan = Plan::new();
        let mut cover = connect(&server, &plan, policy);
        cover.write_all(b"SET a\n").unwrap();
        server.wait_for(1);
        plan.kill(libc::EPIPE);
        let result = cover.write_all(b"SET b\n");
        assert_eq!(result.is_ok(), resent, "{policy:?}: {result:?}");
        if resent {
            assert_eq!(read_line(&mut cover).unwrap(), "SET b");
            assert_eq!(
                server.wait_for(2),
                [(0, "SET a".into()), (1, "SET b".into())]
            );
        } else {
            assert!(ha_cover::is_indeterminate(&result.unwrap_err()));
        }
    }
}

#[test]
fn end_of_file_from_a_dead_peer_is_recovered_and_the_read_retransmitted() {
    let server = EchoServer::start();
    let plan = Plan::new();
    let stream = plan.wrap(UnixStream::connect(&server.path).unwrap());
    // A subscriber: after reconnecting, it subscribes again; the server's answer is
    // what the retransmitted read receives.
    let mut cover = Builder::new()
        .backoff(Backoff::none())
        .attach(
            stream,
            |failure: &Failure<'_, Conn>, _: &mut ()| {
                let mut fresh = reconnect_and_greet(failure, &mut ())?;
                WriteConnection::write(&mut fresh, b"SUBSCRIBE\n")?;
                Ok(fresh)
            },
            (),
        )
        .unwrap();
    assert_eq!(read_line(&mut cover).unwrap(), "HELLO 0");
    plan.hang_up();
    assert_eq!(read_line(&mut cover).unwrap(), "SUBSCRIBE");
    assert_eq!(cover.control().stats().recoveries, 1);
}

#[test]
fn end_of_file_is_returned_when_the_policy_says_it_is_normal() {
    let server = EchoServer::start();
    let plan = Plan::new();
    let stream = plan.wrap(UnixStream::connect(&server.path).unwrap());
    let mut cover = Builder::new()
        .eof_is_failure(false)
        .attach(stream, reconnect_and_greet, ())
        .unwrap();
    read_line(&mut cover).unwrap();
    plan.hang_up();
    assert_eq!(std::io::Read::read(&mut cover, &mut [0; 8]).unwrap(), 0);
    assert_eq!(cover.control().stats().failures, 0);
}

#[test]
fn vectored_writes_go_out_whole() {
    let server = EchoServer::start();
    let mut cover = Cover::connect_unix(&server.path, ha_cover::reconnect, ()).unwrap();
    assert_eq!(read_line(&mut cover).unwrap(), "HELLO 0");
    let parts = [
        std::io::IoSlice::new(b"vec"),
        std::io::IoSlice::new(b"tored\n"),
    ];
    assert_eq!(cover.write_vectored(&parts).unwrap(), 9);
    assert_eq!(read_line(&mut cover).unwrap(), "vectored");
}

#[test]
fn a_restarted_server_is_reconnected_through_the_socket_path() {
    // A server that really goes away: its listener and connections are closed,
    // then a new one binds the same path.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("restart.sock");
    let first = std::os::unix::net::UnixListener::bind(&path).unwrap();
    let mut cover = Cover::connect_unix(&path, ha_cover::reconnect, ()).unwrap();
    let (conn, _) = first.accept().unwrap();
    drop((conn, first));
    std::fs::remove_file(&path).unwrap();
    let restarted = std::thread::spawn({
        let path = path.clone();
        move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
            let (mut conn, _) = listener.accept().unwrap();
            let mut got = [0; 6];
            std::io::Read::read_exact(&mut conn, &mut got).unwrap();
            conn.write_all(b"pong\n").unwrap();
            got
        }
    });
    // EPIPE from the dead peer; ECONNREFUSED/ENOENT while it is down; then back.
    cover.write_all(b"ping!\n").unwrap();
    assert_eq!(read_line(&mut cover).unwrap(), "pong");
    assert_eq!(&restarted.join().unwrap(), b"ping!\n");
    let stats = cover.control().stats();
    assert_eq!(stats.recoveries, 1);
    assert!(
        stats.attempts > 1,
        "the server was down for a while: {stats:?}"
    );
}
