//! `#[derive(Recoverable)]` handles against `ha-socket-server` really killed with
//! SIGKILL and restarted: `reconnect` with an `after` hook replaying the stream
//! server's handshake, and `#[ha(addr)]` failing over to a replica.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::Duration;

use ha_cover::{Cover, ReconnectTarget, Recoverable, WriteConnection};
use ha_cover_world::{SocketMode, SocketServer, read_line, stream};

const T: Duration = Duration::from_secs(10);

/// A stream client: the offset counts the bytes received (only reads go through
/// the cover), and after each reconnect the hook asks for the stream from there.
#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after = resume)]
struct Resume {
    #[ha(offset)]
    received: u64,
    #[ha(recoveries)]
    reconnects: u32,
}

fn resume<C: ReconnectTarget>(conn: &mut C, handle: &mut Resume) -> std::io::Result<()> {
    let request = format!("FROM {}\n", handle.received);
    let mut rest = request.as_bytes();
    while !rest.is_empty() {
        let n = WriteConnection::write(conn, rest)?;
        rest = &rest[n..];
    }
    Ok(())
}

#[test]
fn reconnect_with_an_after_hook_resumes_a_stream_across_real_deaths() {
    let (seed, len) = (7, 4 << 20);
    let server = SocketServer::start(SocketMode::Stream {
        seed,
        len: Some(len),
    })
    .unwrap();
    // The first handshake is the client's own, before the cover counts bytes.
    let mut first = UnixStream::connect(server.unix_path().unwrap()).unwrap();
    first.write_all(b"FROM 0\n").unwrap();
    let cover = Cover::attach(first, ha_cover::by_handle, Resume::default()).unwrap();
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
    let cover = reader.get_ref();
    assert_eq!(cover.with_handle(|h| h.received), len);
    assert_eq!(cover.with_handle(|h| h.reconnects), 3);
    assert_eq!(cover.control().stats().recoveries, 3);
}

/// `#[ha(addr)]`: `None` reconnects to the original server; a path moves the
/// client to a replica.
#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect)]
struct Failover {
    #[ha(addr)]
    replica: Option<PathBuf>,
    #[ha(recoveries)]
    reconnects: u32,
}

fn incr<C: ha_cover::Connection + Read>(cover: &mut Cover<C, Failover>) -> u64
where
    Cover<C, Failover>: Write,
{
    cover.write_all(b"INCR\n").unwrap();
    read_line(cover).unwrap().parse().unwrap()
}

#[test]
fn the_addr_field_moves_reconnection_to_a_replica() {
    let primary = SocketServer::start(SocketMode::Counter).unwrap();
    let replica = SocketServer::start(SocketMode::Counter).unwrap();
    let mut cover = Cover::connect_unix(
        primary.unix_path().unwrap(),
        ha_cover::by_handle,
        Failover::default(),
    )
    .unwrap();
    assert_eq!(incr(&mut cover), 1);
    // The primary comes back: the client reconnects to it.
    primary.supervisor().kill_and_wait(T).unwrap();
    primary.supervisor().wait_ready(T).unwrap();
    assert_eq!(
        incr(&mut cover),
        2,
        "the primary's counter survives restarts"
    );
    // The primary is gone for good: the client is told where the replica is.
    primary.supervisor().set_auto_restart(false);
    cover.with_handle(|h| h.replica = Some(replica.unix_path().unwrap().to_owned()));
    primary.supervisor().kill_and_wait(T).unwrap();
    assert_eq!(incr(&mut cover), 1, "the replica's own counter answers");
    assert_eq!(incr(&mut cover), 2);
    assert_eq!(cover.with_handle(|h| h.reconnects), 2);
}
