//! A socket cover shared through `&Cover` (`Read` and `Write` for `&Cover`,
//! as std has them for `&UnixStream`): one thread writes requests while
//! another reads the answers, and the ledger of unanswered bytes stays what
//! it is for `&mut self` calls, so that the write policies decide the same.
//! Deaths come from the fault-injection connection; every read has a
//! timeout, so that an answer waited for in vain fails the test instead of
//! hanging it.

mod common;

use std::io::Write;
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use common::echo::{EchoServer, read_line};
use ha_cover::fault::{Faulty, Plan};
use ha_cover::{AttemptError, Backoff, Builder, Cover, Failure, WritePolicy, is_indeterminate};

type Conn = Faulty<UnixStream>;

/// Reconnects and reads the new connection's greeting, as a client's
/// handshake would, after a pause that lets every thread meet the death.
fn reconnect_and_greet(failure: &Failure<'_, Conn>, _: &mut ()) -> Result<Conn, AttemptError> {
    thread::sleep(Duration::from_millis(100));
    let mut fresh = failure.reconnect()?;
    let greeting = read_line(&mut fresh)?;
    assert!(greeting.starts_with("HELLO "), "{greeting}");
    Ok(fresh)
}

fn connect(server: &EchoServer, plan: &Plan, policy: WritePolicy) -> Arc<Cover<Conn>> {
    let stream = UnixStream::connect(&server.path).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let cover = Builder::new()
        .backoff(Backoff::none())
        .write_policy(policy)
        .attach(plan.wrap(stream), reconnect_and_greet, ())
        .unwrap();
    assert_eq!(read_line(&mut &cover).unwrap(), "HELLO 0");
    Arc::new(cover)
}

/// A request a writer thread sent, which the server read and did not answer
/// before it died, is in the ledger when the reader thread meets the death:
/// under `Never` the reader is told, and nothing is sent twice.
#[test]
fn a_request_sent_by_one_thread_and_lost_is_indeterminate_for_the_reader() {
    let server = EchoServer::start();
    let plan = Plan::new();
    let cover = connect(&server, &plan, WritePolicy::Never);
    let writer = {
        let cover = Arc::clone(&cover);
        thread::spawn(move || (&*cover).write_all(b"INCR\n").unwrap())
    };
    writer.join().unwrap();
    server.wait_for(1);
    plan.kill(libc::ECONNRESET);
    let reader = {
        let cover = Arc::clone(&cover);
        thread::spawn(move || read_line(&mut &*cover))
    };
    let err = reader.join().unwrap().unwrap_err();
    assert!(is_indeterminate(&err), "{err}");
    // The connection is back; the next request goes out once.
    (&*cover).write_all(b"GET\n").unwrap();
    assert_eq!(read_line(&mut &*cover).unwrap(), "GET");
    assert_eq!(server.wait_for(2), [(0, "INCR".into()), (1, "GET".into())]);
    assert_eq!(cover.control().stats().indeterminate, 1);
}

/// Writers that met a death another thread recovered from are decided with
/// what that recovery found: nothing unanswered, so each request goes out
/// on the new connection, once.
#[test]
fn writes_that_failed_on_a_replaced_connection_go_out_once_when_nothing_was_lost() {
    let server = EchoServer::start();
    let plan = Plan::new();
    let cover = connect(&server, &plan, WritePolicy::Never);
    (&*cover).write_all(b"one\n").unwrap();
    assert_eq!(read_line(&mut &*cover).unwrap(), "one");
    plan.kill(libc::EPIPE);
    let writers: Vec<_> = (0..3)
        .map(|t| {
            let cover = Arc::clone(&cover);
            thread::spawn(move || (&*cover).write_all(format!("w{t}\n").as_bytes()))
        })
        .collect();
    for w in writers {
        w.join().unwrap().unwrap();
    }
    let mut after: Vec<_> = server.wait_for(4)[1..].to_vec();
    after.sort();
    assert_eq!(
        after,
        [(1, "w0".into()), (1, "w1".into()), (1, "w2".into())],
        "each once, on the new connection"
    );
    assert_eq!(cover.control().stats().recoveries, 1);
}

/// The same writers after a request whose answer was lost: whether the
/// server saw it is unknown, and a write that met the death is not sent on
/// without it; the writers that met it are told. A write that had not
/// reached the dead connection (it waited for the recovery to take its
/// turn) goes out on the new one, as a `&mut self` write made after the
/// recovery would.
#[test]
fn writes_that_failed_on_a_replaced_connection_after_a_lost_request_are_indeterminate() {
    let server = EchoServer::start();
    let plan = Plan::new();
    let cover = connect(&server, &plan, WritePolicy::Never);
    (&*cover).write_all(b"lost\n").unwrap();
    server.wait_for(1);
    plan.kill(libc::EPIPE);
    let writers: Vec<_> = (0..3)
        .map(|t| {
            let cover = Arc::clone(&cover);
            thread::spawn(move || (&*cover).write(format!("w{t}\n").as_bytes()))
        })
        .collect();
    let mut sent = Vec::new();
    for (t, w) in writers.into_iter().enumerate() {
        match w.join().unwrap() {
            Ok(_) => sent.push((1, format!("w{t}"))),
            Err(e) => assert!(is_indeterminate(&e), "{e}"),
        }
    }
    let told = cover.control().stats().indeterminate;
    assert!(told >= 1, "the writer that met the death is told");
    assert_eq!(told as usize + sent.len(), 3);
    let mut after = server.wait_for(1 + sent.len())[1..].to_vec();
    after.sort();
    assert_eq!(after, sent, "only the writes that were not told went out");
}

/// Under `Replay` the request a writer thread sent in two writes is sent
/// again after the death the reader thread met, and the reader gets its
/// answer; the answer read then clears it, so that a later death replays
/// nothing.
#[test]
fn replay_sends_again_what_a_writer_thread_sent_and_the_reader_gets_the_answer() {
    let server = EchoServer::start();
    let plan = Plan::new();
    let cover = connect(&server, &plan, WritePolicy::Replay);
    let writer = {
        let cover = Arc::clone(&cover);
        thread::spawn(move || {
            (&*cover).write_all(b"SET ").unwrap();
            (&*cover).write_all(b"k v\n").unwrap();
        })
    };
    writer.join().unwrap();
    server.wait_for(1);
    plan.hang_up();
    let reader = {
        let cover = Arc::clone(&cover);
        thread::spawn(move || read_line(&mut &*cover).unwrap())
    };
    assert_eq!(reader.join().unwrap(), "SET k v");
    plan.kill(libc::EPIPE);
    (&*cover).write_all(b"LAST\n").unwrap();
    assert_eq!(read_line(&mut &*cover).unwrap(), "LAST");
    assert_eq!(
        server.wait_for(3),
        [
            (0, "SET k v".into()),
            (1, "SET k v".into()),
            (2, "LAST".into())
        ]
    );
}
