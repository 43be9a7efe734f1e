//! Async recoveries wait for the kernel to report the server back, as the sync
//! ones do: servers killed with SIGKILL and restarted 300 ms later, while the
//! backoff says 30 s.

use std::time::{Duration, Instant};

use ha_cover::{Backoff, Builder};
use ha_cover_world::require;
use ha_cover_world::{Component, FuseServer, SocketMode, SocketServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const T: Duration = Duration::from_secs(10);

fn patient() -> Builder<ha_cover::asynchronous::Tokio> {
    ha_cover::asynchronous::AsyncCover::builder()
        .backoff(Backoff::fixed(Duration::from_secs(30)).without_jitter())
        .deadline(Duration::from_secs(60))
}

/// `POLLPRI` on `/proc/self/mountinfo` wakes the recovery task.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_async_recovery_wakes_when_the_mount_is_back_not_when_the_backoff_ends() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    std::fs::write(fs.backing("f"), b"0123456789").unwrap();
    let mut cover = patient()
        .open(fs.path("f"), ha_cover::asynchronous::reopen_seek, ())
        .await
        .unwrap();
    let mut buf = [0; 5];
    cover.read_exact(&mut buf).await.unwrap();
    fs.supervisor().set_downtime(Duration::from_millis(300));
    let supervisor = fs.supervisor().handle();
    tokio::task::spawn_blocking(move || supervisor.kill_and_wait(T))
        .await
        .unwrap()
        .unwrap();
    let started = Instant::now();
    cover.read_exact(&mut buf).await.unwrap();
    let took = started.elapsed();
    assert_eq!(&buf, b"56789");
    assert!(took < T, "woke only with the 30 s backoff: {took:?}");
    assert!(
        cover.control().stats().attempts >= 2,
        "the server was down when recovery began"
    );
}

/// inotify on the socket's directory wakes the recovery task.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_async_recovery_wakes_when_the_socket_is_back_not_when_the_backoff_ends() {
    let server = SocketServer::start(SocketMode::Echo).unwrap();
    let mut cover = patient()
        .connect_unix(
            server.unix_path().unwrap(),
            ha_cover::asynchronous::reconnect,
            (),
        )
        .await
        .unwrap();
    let mut reply = [0; 4];
    cover.write_all(b"one\n").await.unwrap();
    cover.read_exact(&mut reply).await.unwrap();
    assert_eq!(&reply, b"one\n");
    server.supervisor().set_downtime(Duration::from_millis(300));
    let supervisor = server.supervisor().handle();
    tokio::task::spawn_blocking(move || supervisor.kill_and_wait(T))
        .await
        .unwrap()
        .unwrap();
    let started = Instant::now();
    cover.write_all(b"two\n").await.unwrap();
    cover.read_exact(&mut reply).await.unwrap();
    let took = started.elapsed();
    assert_eq!(&reply, b"two\n");
    assert!(took < T, "woke only with the 30 s backoff: {took:?}");
    assert!(
        cover.control().stats().attempts >= 2,
        "the server was down when recovery began"
    );
}
