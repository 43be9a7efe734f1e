//! ha-cover beside stubborn-io, the Rust crate closest to its job, on the
//! request a socket accepted just before its peer died.
//!
//! The server reads one request and dies before answering it; its successor,
//! on the same address, answers every request it gets. stubborn-io reconnects,
//! but the request is gone: the `write_all` returned `Ok` into the dead socket
//! and nothing sends it again, so the reply never comes. ha-cover replays it
//! (replay policy) or says it is indeterminate (never policy).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ha_cover::WritePolicy;
use ha_cover::asynchronous::AsyncCover;
use stubborn_io::{ReconnectOptions, StubbornTcpStream};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// The lines each incarnation of the server received.
type Received = Arc<Mutex<Vec<(u32, String)>>>;

/// Connections incarnation 2 accepted.
type Accepted = Arc<std::sync::atomic::AtomicUsize>;

/// Incarnation 1 reads one request and dies without answering; incarnation 2,
/// started on the same address once 1 is gone, answers `ok <request>`.
async fn dying_server() -> (SocketAddr, Received, Accepted) {
    let first = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = first.local_addr().unwrap();
    let received: Received = Arc::default();
    let log = Arc::clone(&received);
    let accepted: Accepted = Arc::default();
    let count = Arc::clone(&accepted);
    tokio::spawn(async move {
        let (stream, _) = first.accept().await.unwrap();
        let mut lines = BufReader::new(stream).lines();
        if let Ok(Some(line)) = lines.next_line().await {
            log.lock().unwrap().push((1, line));
        }
        // Dies: its listener and connection close, unanswered.
        drop((lines, first));
        let second = TcpListener::bind(addr).await.unwrap();
        loop {
            let Ok((stream, _)) = second.accept().await else {
                return;
            };
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let log = Arc::clone(&log);
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    log.lock().unwrap().push((2, line.clone()));
                    let _ = write.write_all(format!("ok {line}\n").as_bytes()).await;
                }
            });
        }
    });
    (addr, received, accepted)
}

async fn read_line(reader: &mut (impl AsyncRead + Unpin)) -> std::io::Result<String> {
    let mut line = Vec::new();
    loop {
        match reader.read_u8().await? {
            b'\n' => return Ok(String::from_utf8(line).unwrap()),
            byte => line.push(byte),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stubborn_io_loses_the_request() {
    let (addr, received, accepted) = dying_server().await;
    let options = ReconnectOptions::new()
        .with_retries_generator(|| std::iter::repeat(Duration::from_millis(10)));
    let mut stream = StubbornTcpStream::connect_with_options(addr, options)
        .await
        .unwrap();
    stream.write_all(b"req-1\n").await.unwrap();
    let reply = tokio::time::timeout(Duration::from_secs(2), read_line(&mut stream)).await;
    assert!(reply.is_err(), "stubborn-io got a reply: {reply:?}");
    assert_eq!(
        accepted.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "stubborn-io did reconnect to the successor"
    );
    let log = received.lock().unwrap().clone();
    assert_eq!(
        log,
        [(1, "req-1".to_string())],
        "the successor never saw the request: it was lost"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ha_cover_replays_the_request() {
    let (addr, received, accepted) = dying_server().await;
    let mut stream = ha_cover::asynchronous::AsyncCover::builder()
        .write_policy(WritePolicy::Replay)
        .connect_tcp(addr, ha_cover::asynchronous::reconnect, ())
        .await
        .unwrap();
    stream.write_all(b"req-1\n").await.unwrap();
    let reply = tokio::time::timeout(Duration::from_secs(10), read_line(&mut stream))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(reply, "ok req-1");
    let log = received.lock().unwrap().clone();
    assert_eq!(
        log,
        [(1, "req-1".to_string()), (2, "req-1".to_string())],
        "sent again on the new connection"
    );
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert_eq!(stream.control().stats().recoveries, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ha_cover_never_policy_says_the_request_is_indeterminate() {
    let (addr, received, accepted) = dying_server().await;
    let mut stream = AsyncCover::connect_tcp(addr, ha_cover::asynchronous::reconnect, ())
        .await
        .unwrap();
    stream.write_all(b"req-1\n").await.unwrap();
    let err = tokio::time::timeout(Duration::from_secs(10), read_line(&mut stream))
        .await
        .unwrap()
        .unwrap_err();
    assert!(ha_cover::is_indeterminate(&err), "{err}");
    // The connection is back; the caller decides and asks again.
    stream.write_all(b"req-2\n").await.unwrap();
    assert_eq!(read_line(&mut stream).await.unwrap(), "ok req-2");
    let log = received.lock().unwrap().clone();
    assert_eq!(
        log,
        [(1, "req-1".to_string()), (2, "req-2".to_string())],
        "never sent twice"
    );
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 1);
}
