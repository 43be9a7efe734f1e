//! `#[ha_connection(..., asynchronous)]` types against servers really killed
//! with SIGKILL and restarted by the supervisor: a file of each mode through
//! our FUSE server (reads with a dup, appends landing once, positioned writes),
//! suspend/enable and a replaced recovery; sockets: `never` over Unix (every
//! `INCR` applied once), `replay` over TCP, and a stream resumed by a handle's
//! async hook.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use ha_cover::asynchronous::{AsyncFailure, AsyncReconnectTarget, BoxFuture, File, Uncovered};
use ha_cover::{AttemptError, Recoverable, ha_connection};
use ha_cover_world::require;
use ha_cover_world::{Component, FuseServer, SocketMode, SocketServer, random_bytes, stream};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::task::block_in_place;

const T: Duration = Duration::from_secs(10);

async fn read_line(reader: &mut (impl AsyncRead + Unpin)) -> io::Result<String> {
    let mut line = Vec::new();
    loop {
        match reader.read_u8().await? {
            b'\n' => return Ok(String::from_utf8(line).unwrap()),
            byte => line.push(byte),
        }
    }
}

#[derive(Recoverable, Default, Debug)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    curr_offset: u64,
    #[ha(recoveries)]
    nr: u32,
}

/// The seed's file, for tokio.
#[ha_connection(file, asynchronous, mode = read_only, handle = Handle,
                attempts = 50, backoff = exponential(1ms, 50ms), deadline = 10s)]
struct TestFile;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_file_and_its_dup_read_the_whole_file_across_real_deaths() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let data = random_bytes(256 * 1024, 31);
    std::fs::write(fs.backing("testfile"), &data).unwrap();
    let mut f = TestFile::open(fs.path("testfile"), Handle::default())
        .await
        .unwrap();
    let mut f2: TestFile = f.dup().unwrap();
    let server = fs.supervisor().handle();
    let mut got = Vec::new();
    let mut chunk = [0; 4096];
    while got.len() < data.len() {
        let reader = if got.len() % 8192 == 0 {
            &mut f
        } else {
            &mut f2
        };
        reader.read_exact(&mut chunk).await.unwrap();
        got.extend_from_slice(&chunk);
        if got.len() % (64 * 1024) == 0 && got.len() < data.len() {
            block_in_place(|| server.kill_and_wait(T)).unwrap();
            // A positioned read right after the death recovers too, and does
            // not move the position.
            let mut at = [0; 100];
            f2.read_exact_at(&mut at, 1000).await.unwrap();
            assert!(at[..] == data[1000..1100]);
        }
    }
    assert!(
        got == data,
        "the bytes read across the deaths differ from the file"
    );
    assert_eq!(
        f.with_handle(|h| Some((h.curr_offset, h.nr))).await,
        Some((data.len() as u64, 3))
    );
    assert_eq!(f.control().stats().recoveries, 3);
    assert_eq!(f2.control().generation(), 3);
}

/// An append-only journal: recovery reopens, and a failed append is sent again
/// only when the file's size shows it did not land.
#[ha_connection(file, asynchronous, mode = append)]
struct Journal;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_append_lands_once_across_real_deaths() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let mut journal = Journal::create(fs.path("journal")).await.unwrap();
    let server = fs.supervisor().handle();
    let mut expected = String::new();
    for n in 0..30 {
        let line = format!("entry {n}\n");
        journal.write_all(line.as_bytes()).await.unwrap();
        expected.push_str(&line);
        if n % 10 == 9 {
            block_in_place(|| server.kill_and_wait(T)).unwrap();
        }
    }
    journal.sync_all().await.unwrap();
    assert_eq!(
        std::fs::read_to_string(fs.backing("journal")).unwrap(),
        expected
    );
    assert_eq!(journal.control().stats().recoveries, 3);
}

/// Positioned writes are idempotent: sent again after any recovery.
#[ha_connection(file, asynchronous, mode = read_write)]
struct Table;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn positioned_writes_and_reads_cross_real_deaths() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    std::fs::write(fs.backing("table"), vec![0; 64 * 1024]).unwrap();
    let mut table = Table::open(fs.path("table")).await.unwrap();
    let server = fs.supervisor().handle();
    let data = random_bytes(64 * 1024, 32);
    // Rows written out of order, with deaths in between.
    for (i, row) in data.chunks(4096).enumerate().rev() {
        table.write_all_at(row, (i * 4096) as u64).await.unwrap();
        if i % 6 == 0 {
            block_in_place(|| server.kill_and_wait(T)).unwrap();
        }
    }
    let mut back = vec![0; data.len()];
    table.read_exact_at(&mut back, 0).await.unwrap();
    assert!(back == data);
    assert!(std::fs::read(fs.backing("table")).unwrap() == data);
    assert_eq!(
        table.stream_position().await.unwrap(),
        0,
        "positioned I/O leaves the position"
    );
    assert_eq!(table.control().stats().recoveries, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suspended_the_error_comes_back_and_a_replaced_recovery_runs_once_enabled() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let data = random_bytes(32 * 1024, 33);
    std::fs::write(fs.backing("f"), &data).unwrap();
    let mut f = TestFile::open(fs.path("f"), Handle::default())
        .await
        .unwrap();
    let server = fs.supervisor().handle();
    let mut buf = [0; 1000];
    f.read_exact(&mut buf).await.unwrap();
    f.control().suspend();
    assert!(f.control().is_suspended());
    block_in_place(|| server.kill_and_wait(T)).unwrap();
    let error = f.read_exact(&mut buf).await.unwrap_err();
    assert_eq!(
        error.raw_os_error(),
        Some(libc::ENOTCONN),
        "the dead mount's own error: {error}"
    );
    // Enabled, with a recovery of the test's own that counts its calls.
    let calls = Arc::new(AtomicU32::new(0));
    let counted = Arc::clone(&calls);
    f.set_recovery(
        move |failure: &AsyncFailure<'_, File>,
              handle: &mut Handle|
              -> BoxFuture<'_, Result<File, AttemptError>> {
            counted.fetch_add(1, Ordering::SeqCst);
            let offset = handle.curr_offset;
            Box::pin(async move { failure.reopen_at(offset).await })
        },
    );
    f.control().enable();
    f.read_exact(&mut buf).await.unwrap();
    assert!(
        buf[..] == data[1000..2000],
        "read from where the handle says"
    );
    // Once per attempt: the first ones may find the server still down.
    let replaced = calls.load(Ordering::SeqCst);
    assert!(replaced >= 1);
    assert_eq!(f.control().stats().recoveries, 1);
    // The declared recovery again.
    f.restore_recovery();
    block_in_place(|| server.kill_and_wait(T)).unwrap();
    f.read_exact(&mut buf).await.unwrap();
    assert!(buf[..] == data[2000..3000]);
    assert_eq!(
        calls.load(Ordering::SeqCst),
        replaced,
        "the replaced function is gone"
    );
    assert_eq!(f.with_handle(|h| h.nr).await, 2);
}

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect)]
struct Session {
    #[ha(recoveries)]
    reconnects: u32,
}

/// `INCR` is not idempotent: nothing the server may have seen is sent again.
#[ha_connection(unix, asynchronous, mode = read_write, handle = Session, write_policy = never)]
struct Counter;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn never_applies_every_request_once_across_real_deaths_over_unix() {
    let server = SocketServer::start(SocketMode::Counter).unwrap();
    let mut counter = Counter::connect(server.unix_path().unwrap(), Session::default())
        .await
        .unwrap();
    let mut second: Counter = counter.dup().unwrap();
    let supervisor = server.supervisor().handle();
    for expected in 1..=20u64 {
        if expected % 4 == 0 {
            block_in_place(|| supervisor.kill_and_wait(T)).unwrap();
        }
        let member = if expected % 3 == 0 {
            &mut second
        } else {
            &mut counter
        };
        member.write_all(b"INCR\n").await.unwrap();
        assert_eq!(
            read_line(member).await.unwrap(),
            expected.to_string(),
            "no INCR lost or doubled"
        );
    }
    assert_eq!(counter.with_handle(|h| h.reconnects).await, 5);
    assert_eq!(counter.control().stats().indeterminate, 0);
}

/// Echo is idempotent: the unanswered request is replayed after a reconnect.
#[ha_connection(tcp, asynchronous, mode = read_write, write_policy = replay)]
struct Echo;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replay_resends_what_a_dead_tcp_server_did_not_answer() {
    let server = SocketServer::start_tcp(SocketMode::Echo).unwrap();
    let mut echo = Echo::connect(server.tcp_addr().unwrap()).await.unwrap();
    let supervisor = server.supervisor().handle();
    for round in 0..6 {
        let request = format!("request {round}\n");
        echo.write_all(request.as_bytes()).await.unwrap();
        assert_eq!(
            read_line(&mut echo).await.unwrap(),
            request.trim_end(),
            "round {round}"
        );
        block_in_place(|| supervisor.kill_and_wait(T)).unwrap();
    }
    assert_eq!(echo.control().stats().recoveries, 5);
}

/// A stream client whose handle resumes the stream with an async hook.
#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after_async = resume)]
struct Resume {
    #[ha(offset)]
    received: u64,
}

async fn resume<C: AsyncReconnectTarget>(conn: &mut C, handle: &mut Resume) -> io::Result<()> {
    let request = format!("FROM {}\n", handle.received);
    Uncovered::new(conn).write_all(request.as_bytes()).await
}

#[ha_connection(tcp, asynchronous, mode = read_only, handle = Resume)]
struct Stream;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declared_stream_resumes_byte_exact_across_real_deaths_over_tcp() {
    let (seed, len) = (34, 32 << 20);
    let server = SocketServer::start_tcp(SocketMode::Stream {
        seed,
        len: Some(len as u64),
    })
    .unwrap();
    let mut first = tokio::net::TcpStream::connect(server.tcp_addr().unwrap())
        .await
        .unwrap();
    first.write_all(b"FROM 0\n").await.unwrap();
    let mut stream = Stream::attach(first, Resume::default()).unwrap();
    let supervisor = server.supervisor().handle();
    let marks = [4 << 20, 12 << 20, 20 << 20];
    let mut got = Vec::with_capacity(len);
    let mut buf = vec![0; 64 * 1024];
    let mut kills = 0;
    while got.len() < len {
        let n = stream.read(&mut buf).await.unwrap();
        assert_ne!(n, 0, "the stream ended early at {}", got.len());
        got.extend_from_slice(&buf[..n]);
        // A kill while the client still drains the dead connection's
        // buffered bytes would hit a server it is not connected to.
        if kills < marks.len()
            && got.len() >= marks[kills]
            && stream.control().stats().recoveries == kills as u64
        {
            block_in_place(|| supervisor.kill_and_wait(T)).unwrap();
            kills += 1;
        }
    }
    assert_eq!(kills, marks.len());
    assert!(
        got == stream::bytes(seed, 0, len),
        "the bytes differ from the server's stream"
    );
    assert_eq!(stream.with_handle(|h| h.received).await, len as u64);
    assert_eq!(stream.control().stats().recoveries, 3);
}
