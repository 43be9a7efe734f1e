//! The first open or connect of a cover, against servers that are not there:
//! our FUSE server killed with SIGKILL and unmounted by its supervisor (which
//! then leaves it down until told), the world's socket server likewise.
//!
//! - `expect_mount`: nothing is created on the bare mount point (a plain
//!   `create` does create the file there, and the next mount of the server
//!   then fails: "mountpoint is not empty").
//! - `wait_for_server`: the first open or connect waits under the policy for
//!   the server, as a recovery does, and gets its connection once it is back.

use std::io::{self, Read, Write};
use std::thread;
use std::time::{Duration, Instant};

use ha_cover::Cover;
use ha_cover_world::mount::is_fuse_mounted;
use ha_cover_world::require;
use ha_cover_world::{Component, FuseServer, SocketMode, SocketServer, Supervisor};

const T: Duration = Duration::from_secs(10);

/// Kills the server and waits for its supervisor to clean up after it (for
/// the FUSE server: to unmount it), leaving it down until `restart`.
fn take_down(supervisor: &Supervisor) {
    supervisor.set_auto_restart(false);
    supervisor.kill_and_wait(T).unwrap();
}

/// Brings the server back after `after`, from another thread.
fn bring_back(supervisor: &Supervisor, after: Duration) -> thread::JoinHandle<()> {
    let handle = supervisor.handle();
    thread::spawn(move || {
        thread::sleep(after);
        handle.restart();
    })
}

#[test]
fn expect_mount_creates_nothing_on_a_bare_mount_point() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    take_down(fs.supervisor());
    assert!(
        !is_fuse_mounted(fs.mountpoint()),
        "the supervisor unmounted it"
    );
    let bare = fs.mountpoint().join("out");

    // What a plain create does: the file lands in the directory underneath.
    let plain = Cover::create(&bare, ha_cover::reopen_seek, ()).unwrap();
    drop(plain);
    assert!(
        bare.exists(),
        "a plain create wrote on the bare mount point"
    );
    std::fs::remove_file(&bare).unwrap();

    let err = Cover::builder()
        .expect_mount(fs.mountpoint())
        .create(&bare, ha_cover::reopen_seek, ())
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotConnected, "{err}");
    assert!(
        err.to_string().contains("nothing is mounted"),
        "the error says why: {err}"
    );
    assert!(
        !bare.exists(),
        "nothing was created on the bare mount point"
    );

    // And the server mounts again on its empty mount point.
    fs.supervisor().restart();
    fs.supervisor().wait_ready(T).unwrap();
    assert!(is_fuse_mounted(fs.mountpoint()));
    let mut out = Cover::builder()
        .expect_mount(fs.mountpoint())
        .create(&bare, ha_cover::reopen_seek, ())
        .unwrap();
    out.write_all(b"on the mount").unwrap();
    assert_eq!(std::fs::read(fs.backing("out")).unwrap(), b"on the mount");
}

#[test]
fn expect_mount_refuses_a_path_outside_the_mount() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let err = Cover::builder()
        .expect_mount(fs.mountpoint())
        .create(elsewhere.path().join("out"), ha_cover::reopen_seek, ())
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{err}");
}

/// `mnt/../out` starts with the mount's path but names a file beside it:
/// opened through the mount's root, `..` would lead out of it and create the
/// file there.
#[test]
fn expect_mount_refuses_a_path_that_leaves_the_mount_by_dot_dot() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let outside = fs.mountpoint().join("..").join("escaped");
    let err = Cover::builder()
        .expect_mount(fs.mountpoint())
        .create(&outside, ha_cover::reopen_seek, ())
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{err}");
    assert!(!outside.exists(), "a file was created outside the mount");
}

/// A mount point named through a symbolic link (`/srv/data -> /mnt/fuse`):
/// whether something is mounted is the directory's own affair, not that of
/// the directory the link sits in. Shown where the link can sit on another
/// filesystem than the mount point's parent (`/dev/shm`, a tmpfs).
#[test]
fn expect_mount_through_a_symbolic_link_creates_nothing_on_a_bare_mount_point() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let links = tempfile::tempdir_in("/dev/shm").unwrap_or_else(|_| tempfile::tempdir().unwrap());
    let link = links.path().join("data");
    std::os::unix::fs::symlink(fs.mountpoint(), &link).unwrap();
    take_down(fs.supervisor());
    let err = Cover::builder()
        .expect_mount(&link)
        .create(link.join("out"), ha_cover::reopen_seek, ())
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotConnected, "{err}");
    assert!(
        !fs.mountpoint().join("out").exists(),
        "a file was created on the bare mount point"
    );
    // Mounted, the same works.
    fs.supervisor().restart();
    fs.supervisor().wait_ready(T).unwrap();
    let mut out = Cover::builder()
        .expect_mount(&link)
        .create(link.join("out"), ha_cover::reopen_seek, ())
        .unwrap();
    out.write_all(b"through the link").unwrap();
    assert_eq!(
        std::fs::read(fs.backing("out")).unwrap(),
        b"through the link"
    );
}

#[test]
fn the_first_create_waits_for_the_mount_under_the_policy() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    take_down(fs.supervisor());
    let back = bring_back(fs.supervisor(), Duration::from_millis(300));
    let started = Instant::now();
    let mut out = Cover::builder()
        .expect_mount(fs.mountpoint())
        .wait_for_server(true)
        .backoff(ha_cover::Backoff::fixed(Duration::from_secs(30)).without_jitter())
        .deadline(Duration::from_secs(60))
        .create(fs.path("out"), ha_cover::reopen_seek, ())
        .unwrap();
    let took = started.elapsed();
    back.join().unwrap();
    assert!(
        took < T,
        "woke when the mount came back, not after the 30 s backoff: {took:?}"
    );
    out.write_all(b"after the wait").unwrap();
    assert_eq!(std::fs::read(fs.backing("out")).unwrap(), b"after the wait");
    assert_eq!(
        out.control().stats().recoveries,
        0,
        "the first connection is not a recovery"
    );
}

#[test]
fn without_waiting_the_first_open_fails_at_once() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    std::fs::write(fs.backing("data"), b"x").unwrap();
    take_down(fs.supervisor());
    let err = Cover::builder()
        .expect_mount(fs.mountpoint())
        .open(fs.path("data"), ha_cover::reopen_seek, ())
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotConnected, "{err}");
}

#[test]
fn the_wait_gives_up_with_the_policy() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    take_down(fs.supervisor());
    let started = Instant::now();
    let err = Cover::builder()
        .expect_mount(fs.mountpoint())
        .wait_for_server(true)
        .backoff(ha_cover::Backoff::fixed(Duration::from_millis(20)))
        .attempts(3)
        .create(fs.path("out"), ha_cover::reopen_seek, ())
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotConnected, "{err}");
    assert!(started.elapsed() < T);
    assert!(!fs.mountpoint().join("out").exists());
}

#[test]
fn the_first_connect_waits_for_a_unix_socket_server() {
    let server = SocketServer::start(SocketMode::Echo).unwrap();
    let path = server.unix_path().unwrap().to_owned();
    take_down(server.supervisor());

    let err = Cover::builder()
        .connect_unix(&path, ha_cover::reconnect, ())
        .unwrap_err();
    assert!(
        matches!(err.raw_os_error(), Some(libc::ECONNREFUSED | libc::ENOENT)),
        "without waiting: {err}"
    );

    let back = bring_back(server.supervisor(), Duration::from_millis(300));
    let mut echo = Cover::builder()
        .wait_for_server(true)
        .backoff(ha_cover::Backoff::fixed(Duration::from_secs(30)).without_jitter())
        .connect_unix(&path, ha_cover::reconnect, ())
        .unwrap();
    back.join().unwrap();
    echo.write_all(b"ping\n").unwrap();
    let mut buf = [0; 5];
    echo.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"ping\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_async_connect_and_create_wait_too() {
    use ha_cover::asynchronous::AsyncCover;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let server = SocketServer::start(SocketMode::Echo).unwrap();
    let path = server.unix_path().unwrap().to_owned();
    take_down(server.supervisor());
    let back = bring_back(server.supervisor(), Duration::from_millis(300));
    let mut echo = AsyncCover::builder()
        .wait_for_server(true)
        .backoff(ha_cover::Backoff::fixed(Duration::from_secs(30)).without_jitter())
        .connect_unix(&path, ha_cover::asynchronous::reconnect, ())
        .await
        .unwrap();
    tokio::task::spawn_blocking(move || back.join().unwrap())
        .await
        .unwrap();
    echo.write_all(b"ping\n").await.unwrap();
    let mut buf = [0; 5];
    echo.read_exact(&mut buf).await.unwrap();
    assert_eq!(&buf, b"ping\n");

    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    take_down(fs.supervisor());
    let err = AsyncCover::builder()
        .expect_mount(fs.mountpoint())
        .create(fs.path("out"), ha_cover::asynchronous::reopen_seek, ())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotConnected, "{err}");
    assert!(!fs.mountpoint().join("out").exists());
    let back = bring_back(fs.supervisor(), Duration::from_millis(300));
    let mut out = AsyncCover::builder()
        .expect_mount(fs.mountpoint())
        .wait_for_server(true)
        .create(fs.path("out"), ha_cover::asynchronous::reopen_seek, ())
        .await
        .unwrap();
    tokio::task::spawn_blocking(move || back.join().unwrap())
        .await
        .unwrap();
    out.write_all(b"async").await.unwrap();
    out.flush().await.unwrap();
    assert_eq!(std::fs::read(fs.backing("out")).unwrap(), b"async");
}

/// A server that never comes: the wait ends with the policy's deadline, and
/// the error is the connect's own.
#[test]
fn the_first_connect_to_a_server_that_never_comes_ends_with_the_deadline() {
    let port = ha_cover_world::free_loopback_port().unwrap();
    let started = Instant::now();
    let err = Cover::builder()
        .wait_for_server(true)
        .backoff(ha_cover::Backoff::fixed(Duration::from_millis(20)))
        .deadline(Duration::from_millis(300))
        .connect_tcp(("127.0.0.1", port), ha_cover::reconnect, ())
        .unwrap_err();
    let took = started.elapsed();
    assert_eq!(err.raw_os_error(), Some(libc::ECONNREFUSED), "{err}");
    assert!(
        (Duration::from_millis(250)..T).contains(&took),
        "waited {took:?} for a 300 ms deadline"
    );
}

/// A mount point that does not exist (a typo) is not a server that is away:
/// the wait does not begin, whatever the policy.
#[test]
fn expect_mount_on_a_directory_that_does_not_exist_fails_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("mnnt");
    let started = Instant::now();
    let err = Cover::builder()
        .expect_mount(&typo)
        .wait_for_server(true)
        .deadline(Duration::from_secs(30))
        .create(typo.join("out"), ha_cover::reopen_seek, ())
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotFound, "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
}
