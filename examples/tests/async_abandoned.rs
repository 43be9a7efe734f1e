//! An async cover dropped while its recovery waits for a server that is
//! really dead: the recovery task ends, and the descriptors it held close.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use ha_cover::AttemptError;
use ha_cover::asynchronous::{AsyncCover, AsyncFailure, BoxFuture, reconnect};
use ha_cover_world::{SocketMode, SocketServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::UnixStream;

const T: Duration = Duration::from_secs(10);

static ATTEMPTS: AtomicU32 = AtomicU32::new(0);

fn counted_reconnect<'a>(
    failure: &'a AsyncFailure<'a, UnixStream>,
    handle: &'a mut (),
) -> BoxFuture<'a, Result<UnixStream, AttemptError>> {
    ATTEMPTS.fetch_add(1, Ordering::SeqCst);
    reconnect(failure, handle)
}

fn descriptors() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

/// The recovery task went on after the last member was dropped: it held the
/// dead connection and the watcher's descriptors, and retried, for as long as
/// the server stayed away (for ever without a deadline); when it came back,
/// the recovery function connected for no one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cover_dropped_mid_recovery_ends_its_recovery() {
    let server = SocketServer::start(SocketMode::Echo).unwrap();
    let metrics = tokio::runtime::Handle::current().metrics();
    let (tasks, fds) = (metrics.num_alive_tasks(), descriptors());
    let mut cover = AsyncCover::connect_unix(server.unix_path().unwrap(), counted_reconnect, ())
        .await
        .unwrap();
    cover.write_all(b"ping\n").await.unwrap();
    let mut answer = [0; 5];
    cover.read_exact(&mut answer).await.unwrap();
    let supervisor = server.supervisor().handle();
    supervisor.set_auto_restart(false);
    let killer = supervisor.clone();
    tokio::task::spawn_blocking(move || killer.kill_and_wait(T))
        .await
        .unwrap()
        .unwrap();
    let waited = tokio::time::timeout(Duration::from_millis(300), cover.read(&mut answer)).await;
    assert!(waited.is_err(), "the read waits for the server: {waited:?}");
    assert_eq!(metrics.num_alive_tasks(), tasks + 1, "a recovery task runs");
    drop(cover);
    let deadline = tokio::time::Instant::now() + T;
    while metrics.num_alive_tasks() > tasks || descriptors() > fds {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the recovery of a dropped cover goes on: {} tasks, {} descriptors more",
            metrics.num_alive_tasks() - tasks,
            descriptors() - fds
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let attempts = ATTEMPTS.load(Ordering::SeqCst);
    supervisor.restart();
    tokio::task::spawn_blocking(move || supervisor.wait_ready(T))
        .await
        .unwrap()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        ATTEMPTS.load(Ordering::SeqCst),
        attempts,
        "a connection for no one"
    );
}
