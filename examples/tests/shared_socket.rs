//! One socket cover shared by a reader thread and a writer thread through
//! `&Cover` (`Read` and `Write` for `&Cover`, as std has them for
//! `&UnixStream` and `&TcpStream`), against `ha-socket-server` really killed
//! with SIGKILL and restarted: the writer sends a request once the answer to
//! the previous one is read, the reader reads the answers.

use std::io::Write;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

use ha_cover::{Builder, Cover, SharedConnection, SocketConnection, WriteConnection, WritePolicy};
use ha_cover_world::{SocketMode, SocketServer, read_line};

const T: Duration = Duration::from_secs(10);
const KILLS: usize = 3;

fn line(i: usize) -> String {
    format!("request {i:05}")
}

/// Sockets whose reads can time out.
trait ReadTimeout {
    fn set_read_timeout(&self, limit: Option<Duration>) -> std::io::Result<()>;
}

impl ReadTimeout for UnixStream {
    fn set_read_timeout(&self, limit: Option<Duration>) -> std::io::Result<()> {
        UnixStream::set_read_timeout(self, limit)
    }
}

impl ReadTimeout for std::net::TcpStream {
    fn set_read_timeout(&self, limit: Option<Duration>) -> std::io::Result<()> {
        std::net::TcpStream::set_read_timeout(self, limit)
    }
}

/// The writer and the reader share `cover` across `KILLS` deaths of
/// `server`; every answer is read once, in order.
fn reader_and_writer_across_deaths<C>(server: &SocketServer, cover: Cover<C>)
where
    C: SharedConnection + SocketConnection + WriteConnection + Sync + ReadTimeout,
{
    let lines = 3000;
    // An answer waited for in vain fails the test instead of hanging it (a
    // reconnect carries the timeout over).
    cover.get_ref().set_read_timeout(Some(T)).unwrap();
    let cover = Arc::new(cover);
    let reading = Arc::new(AtomicBool::new(true));
    let (answered, next) = mpsc::channel::<()>();
    let writer = {
        let cover = Arc::clone(&cover);
        thread::spawn(move || {
            for i in 0..lines {
                if i > 0 {
                    next.recv().unwrap();
                }
                (&*cover)
                    .write_all(format!("{}\n", line(i)).as_bytes())
                    .unwrap();
            }
        })
    };
    let reader = {
        let (cover, reading) = (Arc::clone(&cover), Arc::clone(&reading));
        thread::spawn(move || {
            for i in 0..lines {
                assert_eq!(read_line(&mut &*cover).unwrap(), line(i), "answer {i}");
                let _ = answered.send(());
                thread::sleep(Duration::from_micros(200));
            }
            reading.store(false, Ordering::Relaxed);
        })
    };
    for kill in 0..KILLS {
        thread::sleep(Duration::from_millis(60));
        assert!(
            reading.load(Ordering::Relaxed),
            "the threads were done before kill {kill}"
        );
        server.supervisor().kill_and_wait(T).unwrap();
        server.supervisor().wait_ready(T).unwrap();
    }
    writer.join().unwrap();
    reader.join().unwrap();
    let stats = cover.control().stats();
    // A reconnect can reach the dying server's listener before it is gone,
    // and meet the death again.
    assert!(stats.recoveries >= KILLS as u64, "{stats:?}");
    assert_eq!(stats.indeterminate, 0, "{stats:?}");
}

/// Under `Replay` a request the dead server left unanswered is sent again,
/// and the reader gets its answer once.
#[test]
fn a_reader_and_a_writer_thread_share_a_unix_socket_cover_across_deaths() {
    let server = SocketServer::start(SocketMode::Echo).unwrap();
    let cover = Builder::new()
        .write_policy(WritePolicy::Replay)
        .connect_unix(server.unix_path().unwrap(), ha_cover::reconnect, ())
        .unwrap();
    reader_and_writer_across_deaths(&server, cover);
}

#[test]
fn a_reader_and_a_writer_thread_share_a_tcp_cover_across_deaths() {
    let server = SocketServer::start_tcp(SocketMode::Echo).unwrap();
    let cover = Builder::new()
        .write_policy(WritePolicy::Replay)
        .connect_tcp(server.tcp_addr().unwrap(), ha_cover::reconnect, ())
        .unwrap();
    reader_and_writer_across_deaths(&server, cover);
}

/// Reconnects once the killed server is surely gone: a connection its
/// listener accepted while it died would be reset, and a request sent there
/// would be indeterminate too.
fn reconnect_once_gone(
    failure: &ha_cover::Failure<'_, UnixStream>,
    _: &mut (),
) -> Result<UnixStream, ha_cover::AttemptError> {
    thread::sleep(Duration::from_millis(200));
    failure.reconnect()
}

/// Under the default policy a request one thread sent and the dead server
/// never answered is not sent again: the thread waiting for the answer is
/// told, and the next request goes out once on the new connection.
#[test]
fn a_request_lost_with_the_server_is_indeterminate_for_the_reader_thread() {
    let server = SocketServer::start(SocketMode::Echo).unwrap();
    let cover = Arc::new(
        Cover::connect_unix(server.unix_path().unwrap(), reconnect_once_gone, ()).unwrap(),
    );
    cover.get_ref().set_read_timeout(Some(T)).unwrap();
    let reader = {
        let cover = Arc::clone(&cover);
        thread::spawn(move || {
            let first = read_line(&mut &*cover);
            (first, read_line(&mut &*cover))
        })
    };
    // The server dies before it answers this one (sent again, it would be
    // answered by the next one before "after").
    (&*cover).write_all(b"SLOW 400 slow\n").unwrap();
    thread::sleep(Duration::from_millis(50));
    server.supervisor().kill_and_wait(T).unwrap();
    server.supervisor().wait_ready(T).unwrap();
    // Sent once the reader was told (a request and its answer at a time).
    while cover.control().stats().indeterminate == 0 {
        thread::sleep(Duration::from_millis(5));
    }
    (&*cover).write_all(b"after\n").unwrap();
    let (first, second) = reader.join().unwrap();
    let err = first.unwrap_err();
    assert!(ha_cover::is_indeterminate(&err), "{err}");
    assert_eq!(
        second.unwrap(),
        "after",
        "the lost request was not sent again"
    );
    assert_eq!(cover.control().stats().recoveries, 1);
}
