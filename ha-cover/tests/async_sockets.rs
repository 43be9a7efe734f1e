//! Async socket covers: write policies, end-of-file, and a server that really
//! goes away, as for the sync covers.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ha_cover::asynchronous::{AsyncCover, AsyncFailure, BoxFuture};
use ha_cover::fault::{Faulty, Plan};
use ha_cover::{AttemptError, Backoff, WritePolicy};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};

type Conn = Faulty<UnixStream>;
type Log = Arc<Mutex<Vec<(usize, String)>>>;

/// A line echo server: greets each connection with `HELLO <n>`, answers each
/// line with itself, and records what each connection received.
struct Echo {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    log: Log,
}

impl Echo {
    async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("echo.sock");
        let listener = UnixListener::bind(&path).unwrap();
        let log: Log = Arc::default();
        let served = Arc::clone(&log);
        tokio::spawn(async move {
            let mut n = 0;
            while let Ok((stream, _)) = listener.accept().await {
                let log = Arc::clone(&served);
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    if write
                        .write_all(format!("HELLO {n}\n").as_bytes())
                        .await
                        .is_err()
                    {
                        return;
                    }
                    let mut lines = BufReader::new(read).lines();
                    while let Ok(Some(line)) = lines.next_line().await {
                        log.lock().unwrap().push((n, line.clone()));
                        if write
                            .write_all(format!("{line}\n").as_bytes())
                            .await
                            .is_err()
                        {
                            return;
                        }
                    }
                });
                n += 1;
            }
        });
        Self {
            _dir: dir,
            path,
            log,
        }
    }

    async fn wait_for(&self, count: usize) -> Vec<(usize, String)> {
        for _ in 0..200 {
            if self.log.lock().unwrap().len() >= count {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        self.log.lock().unwrap().clone()
    }
}

async fn read_line(reader: &mut (impl AsyncRead + Unpin)) -> std::io::Result<String> {
    let mut line = Vec::new();
    loop {
        let byte = reader.read_u8().await?;
        if byte == b'\n' {
            return Ok(String::from_utf8(line).unwrap());
        }
        line.push(byte);
    }
}

fn reconnect_and_greet<'a>(
    failure: &'a AsyncFailure<'a, Conn>,
    _: &'a mut (),
) -> BoxFuture<'a, Result<Conn, AttemptError>> {
    Box::pin(async move {
        let mut fresh = failure.reconnect().await?;
        let mut greeting = Vec::new();
        loop {
            let mut byte = [0];
            std::future::poll_fn(|cx| {
                let mut buf = tokio::io::ReadBuf::new(&mut byte);
                ha_cover::asynchronous::AsyncConnection::poll_read(&mut fresh, cx, &mut buf)
            })
            .await?;
            if byte[0] == b'\n' {
                break;
            }
            greeting.push(byte[0]);
        }
        assert!(greeting.starts_with(b"HELLO "));
        Ok(fresh)
    })
}

async fn connect(echo: &Echo, plan: &Plan, policy: WritePolicy) -> AsyncCover<Conn> {
    let stream = plan.wrap(UnixStream::connect(&echo.path).await.unwrap());
    let mut cover = ha_cover::asynchronous::AsyncCover::builder()
        .backoff(Backoff::none())
        .write_policy(policy)
        .attach(stream, reconnect_and_greet, ())
        .unwrap();
    assert_eq!(read_line(&mut cover).await.unwrap(), "HELLO 0");
    cover
}

#[tokio::test]
async fn a_request_the_server_cannot_have_seen_is_sent_on_the_new_connection() {
    for policy in [WritePolicy::Never, WritePolicy::Always, WritePolicy::Replay] {
        let echo = Echo::start().await;
        let plan = Plan::new();
        let mut cover = connect(&echo, &plan, policy).await;
        cover.write_all(b"one\n").await.unwrap();
        assert_eq!(read_line(&mut cover).await.unwrap(), "one");
        plan.kill(libc::EPIPE);
        cover.write_all(b"two\n").await.unwrap();
        assert_eq!(read_line(&mut cover).await.unwrap(), "two", "{policy:?}");
        assert_eq!(
            echo.wait_for(2).await,
            [(0, "one".into()), (1, "two".into())],
            "{policy:?}: exactly once"
        );
    }
}

#[tokio::test]
async fn never_reports_a_lost_answer_as_indeterminate() {
    let echo = Echo::start().await;
    let plan = Plan::new();
    let mut cover = connect(&echo, &plan, WritePolicy::Never).await;
    cover.write_all(b"INCR\n").await.unwrap();
    echo.wait_for(1).await;
    plan.kill(libc::ECONNRESET);
    let err = read_line(&mut cover).await.unwrap_err();
    assert!(ha_cover::is_indeterminate(&err), "{err}");
    cover.write_all(b"GET\n").await.unwrap();
    assert_eq!(read_line(&mut cover).await.unwrap(), "GET");
    assert_eq!(
        echo.wait_for(2).await,
        [(0, "INCR".into()), (1, "GET".into())]
    );
}

#[tokio::test]
async fn replay_sends_the_unanswered_request_again() {
    let echo = Echo::start().await;
    let plan = Plan::new();
    let mut cover = connect(&echo, &plan, WritePolicy::Replay).await;
    cover.write_all(b"SET k v\n").await.unwrap();
    echo.wait_for(1).await;
    plan.hang_up();
    assert_eq!(read_line(&mut cover).await.unwrap(), "SET k v");
    assert_eq!(
        echo.wait_for(2).await,
        [(0, "SET k v".into()), (1, "SET k v".into())]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_goes_away_and_comes_back_is_reconnected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("restart.sock");
    let first = UnixListener::bind(&path).unwrap();
    let mut cover = AsyncCover::connect_unix(&path, ha_cover::asynchronous::reconnect, ())
        .await
        .unwrap();
    let (conn, _) = first.accept().await.unwrap();
    drop((conn, first));
    std::fs::remove_file(&path).unwrap();
    let restarted = tokio::spawn({
        let path = path.clone();
        async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let listener = UnixListener::bind(&path).unwrap();
            let (mut conn, _) = listener.accept().await.unwrap();
            let mut got = [0; 6];
            conn.read_exact(&mut got).await.unwrap();
            conn.write_all(b"pong\n").await.unwrap();
            got
        }
    });
    cover.write_all(b"ping!\n").await.unwrap();
    assert_eq!(read_line(&mut cover).await.unwrap(), "pong");
    assert_eq!(&restarted.await.unwrap(), b"ping!\n");
    let stats = cover.control().stats();
    assert_eq!(stats.recoveries, 1);
    assert!(
        stats.attempts > 1,
        "the server was down for a while: {stats:?}"
    );
}

#[tokio::test]
async fn end_of_file_is_recovered_and_the_read_retransmitted() {
    let echo = Echo::start().await;
    let plan = Plan::new();
    let stream = plan.wrap(UnixStream::connect(&echo.path).await.unwrap());
    fn resubscribe<'a>(
        failure: &'a AsyncFailure<'a, Conn>,
        h: &'a mut (),
    ) -> BoxFuture<'a, Result<Conn, AttemptError>> {
        Box::pin(async move {
            let mut fresh = reconnect_and_greet(failure, h).await?;
            std::future::poll_fn(|cx| {
                ha_cover::asynchronous::AsyncConnection::poll_write(&mut fresh, cx, b"SUBSCRIBE\n")
            })
            .await?;
            Ok(fresh)
        })
    }
    let mut cover = ha_cover::asynchronous::AsyncCover::builder()
        .backoff(Backoff::none())
        .attach(stream, resubscribe, ())
        .unwrap();
    assert_eq!(read_line(&mut cover).await.unwrap(), "HELLO 0");
    plan.hang_up();
    assert_eq!(read_line(&mut cover).await.unwrap(), "SUBSCRIBE");
    assert_eq!(cover.control().stats().recoveries, 1);
}

fn slow_reconnect_and_greet<'a>(
    failure: &'a AsyncFailure<'a, Conn>,
    handle: &'a mut (),
) -> BoxFuture<'a, Result<Conn, AttemptError>> {
    Box::pin(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        reconnect_and_greet(failure, handle).await
    })
}

#[tokio::test]
async fn a_write_dropped_mid_recovery_is_not_sent_and_the_next_goes_once() {
    for policy in [WritePolicy::Never, WritePolicy::Always, WritePolicy::Replay] {
        let echo = Echo::start().await;
        let plan = Plan::new();
        let stream = plan.wrap(UnixStream::connect(&echo.path).await.unwrap());
        let mut cover = ha_cover::asynchronous::AsyncCover::builder()
            .backoff(Backoff::none())
            .write_policy(policy)
            .attach(stream, slow_reconnect_and_greet, ())
            .unwrap();
        assert_eq!(read_line(&mut cover).await.unwrap(), "HELLO 0");
        plan.kill(libc::EPIPE);
        let dropped =
            tokio::time::timeout(Duration::from_millis(5), cover.write_all(b"dropped\n")).await;
        assert!(dropped.is_err(), "{policy:?}: still recovering");
        cover.write_all(b"next\n").await.unwrap();
        assert_eq!(read_line(&mut cover).await.unwrap(), "next", "{policy:?}");
        assert_eq!(
            echo.wait_for(1).await,
            [(1, "next".into())],
            "{policy:?}: the caller gave the dropped write up before it was sent"
        );
        assert_eq!(cover.control().stats().recoveries, 1);
    }
}
