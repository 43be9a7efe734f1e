//! The FUSE servers of the world really die, and really come back.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{FileExt, MetadataExt};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ha_cover_world::require;
use ha_cover_world::{Component, FuseImpl, FuseServer, mount};

const T: Duration = Duration::from_secs(10);

fn errno(e: &std::io::Error) -> i32 {
    e.raw_os_error()
        .unwrap_or_else(|| panic!("not an OS error: {e}"))
}

/// An open descriptor dies with its server (ENOTCONN, for good, also after
/// the restart); a fresh open of the same path reads the same bytes.
fn dies_and_comes_back(kind: FuseImpl) {
    let fs = FuseServer::start(kind).expect("start FUSE server");
    fs::write(fs.backing("data"), b"0123456789").unwrap();
    let mut old = File::open(fs.path("data")).unwrap();
    let mut buf = [0; 4];
    old.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"0123");
    let ino_before = fs::metadata(fs.path("data")).unwrap().ino();

    let sup = fs.supervisor();
    let first_pid = sup.pid().unwrap();
    assert_eq!(sup.kill(), Some(first_pid));
    sup.wait_deaths(1, T).unwrap();
    let err = old.read(&mut buf).unwrap_err();
    assert_eq!(errno(&err), libc::ENOTCONN, "read on the dead mount: {err}");

    sup.wait_restarts(1, T).unwrap();
    assert_ne!(sup.pid(), Some(first_pid));
    assert!(mount::is_fuse_mounted(fs.mountpoint()));
    let err = old.read(&mut buf).unwrap_err();
    assert_eq!(
        errno(&err),
        libc::ENOTCONN,
        "the old descriptor stays dead after the restart: {err}"
    );
    let err = old.metadata().unwrap_err();
    assert_eq!(
        errno(&err),
        libc::ENOTCONN,
        "fstat on the old descriptor: {err}"
    );

    let mut fresh = File::open(fs.path("data")).unwrap();
    let mut all = Vec::new();
    fresh.read_to_end(&mut all).unwrap();
    assert_eq!(all, b"0123456789");
    let ino_after = fs::metadata(fs.path("data")).unwrap().ino();
    if kind == FuseImpl::Fuser {
        assert_eq!(
            ino_after, ino_before,
            "inode numbers are stable across restarts"
        );
        assert_eq!(ino_after, fs::metadata(fs.backing("data")).unwrap().ino());
    }
}

#[test]
fn fuser_server_dies_with_enotconn_and_comes_back() {
    require!(Component::Fuse);
    dies_and_comes_back(FuseImpl::Fuser);
}

#[test]
fn bindfs_dies_with_enotconn_and_comes_back() {
    require!(Component::Bindfs);
    dies_and_comes_back(FuseImpl::Bindfs);
}

/// With direct I/O every read and write is a request to the server: a change
/// behind its back shows at once through an open descriptor, and writes land
/// in the backing file before any close or fsync.
fn io_reaches_the_server(kind: FuseImpl) {
    let fs = FuseServer::start(kind).expect("start FUSE server");
    fs::write(fs.backing("f"), b"aaaaaaaa").unwrap();
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(fs.path("f"))
        .unwrap();
    let mut buf = [0; 8];
    file.read_exact_at(&mut buf, 0).unwrap();
    assert_eq!(&buf, b"aaaaaaaa");

    fs::write(fs.backing("f"), b"bbbbbbbbbb").unwrap();
    let mut buf = [0; 10];
    file.read_exact_at(&mut buf, 0).unwrap();
    assert_eq!(
        &buf, b"bbbbbbbbbb",
        "no page cache between us and the server"
    );

    file.write_all_at(b"XY", 3).unwrap();
    assert_eq!(fs::read(fs.backing("f")).unwrap(), b"bbbXYbbbbb");

    let mut appender = OpenOptions::new().append(true).open(fs.path("f")).unwrap();
    appender.write_all(b"++").unwrap();
    assert_eq!(fs::read(fs.backing("f")).unwrap(), b"bbbXYbbbbb++");
    file.set_len(4).unwrap();
    assert_eq!(fs::read(fs.backing("f")).unwrap(), b"bbbX");
}

#[test]
fn fuser_server_io_reaches_the_server() {
    require!(Component::Fuse);
    io_reaches_the_server(FuseImpl::Fuser);
}

#[test]
fn bindfs_io_reaches_the_server() {
    require!(Component::Bindfs);
    io_reaches_the_server(FuseImpl::Bindfs);
}

/// The operations `ha-fuse-server` claims to serve.
#[test]
fn fuser_server_serves_a_directory_tree() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().expect("start FUSE server");
    fs::create_dir(fs.path("d")).unwrap();
    fs::write(fs.path("d/one"), b"1").unwrap();
    fs::write(fs.path("d/two"), b"22").unwrap();
    let mut names: Vec<_> = fs::read_dir(fs.path("d"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["one", "two"]);

    fs::rename(fs.path("d"), fs.path("e")).unwrap();
    assert_eq!(
        fs::read(fs.path("e/two")).unwrap(),
        b"22",
        "paths below a moved dir"
    );
    fs::rename(fs.path("e/one"), fs.path("e/two")).unwrap();
    assert_eq!(fs::read(fs.backing("e/two")).unwrap(), b"1");
    assert_eq!(fs::metadata(fs.path("e/two")).unwrap().len(), 1);

    let created = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(fs.path("e/new"))
        .unwrap();
    created.write_all_at(b"abc", 0).unwrap();
    created.sync_all().unwrap();
    let err = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(fs.path("e/new"))
        .unwrap_err();
    assert_eq!(errno(&err), libc::EEXIST);

    fs::remove_file(fs.path("e/new")).unwrap();
    fs::remove_file(fs.path("e/two")).unwrap();
    fs::remove_dir(fs.path("e")).unwrap();
    assert!(!fs.backing("e").exists());
    let err = fs::metadata(fs.path("e")).unwrap_err();
    assert_eq!(errno(&err), libc::ENOENT);
}

/// Dropping the server, even while unwinding from a panic with a descriptor
/// still open on the mount, leaves no mount, no process and no directory.
fn drop_cleans_up_after_panic(kind: FuseImpl) {
    let mut seen: Option<(PathBuf, u32)> = None;
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let fs = FuseServer::start(kind).expect("start FUSE server");
        fs::write(fs.path("held"), b"x").unwrap();
        // A client that still holds a file must not keep the mount alive.
        std::mem::forget(File::open(fs.path("held")).unwrap());
        seen = Some((
            fs.mountpoint().to_path_buf(),
            fs.supervisor().pid().unwrap(),
        ));
        panic!("test body panics with the server running");
    }));
    assert!(outcome.is_err());
    let (mountpoint, pid) = seen.expect("the body ran");
    assert_gone(&mountpoint, pid);
}

fn assert_gone(mountpoint: &Path, pid: u32) {
    let mounts = mount::mounts().unwrap();
    assert!(
        !mounts.iter().any(|m| m.mount_point.starts_with(mountpoint)),
        "mount left behind at {}",
        mountpoint.display()
    );
    assert!(
        !Path::new(&format!("/proc/{pid}")).exists(),
        "server process {pid} left behind"
    );
    assert!(!mountpoint.exists(), "temporary directory left behind");
}

#[test]
fn fuser_server_drop_cleans_up_after_panic() {
    require!(Component::Fuse);
    drop_cleans_up_after_panic(FuseImpl::Fuser);
}

#[test]
fn bindfs_drop_cleans_up_after_panic() {
    require!(Component::Bindfs);
    drop_cleans_up_after_panic(FuseImpl::Bindfs);
}

/// A dead mount is unmounted on drop too, also with automatic restart off.
#[test]
fn drop_after_kill_without_restart_cleans_up() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().expect("start FUSE server");
    let sup = fs.supervisor();
    sup.set_auto_restart(false);
    let pid = sup.kill().unwrap();
    sup.wait_deaths(1, T).unwrap();
    assert!(
        !mount::is_fuse_mounted(fs.mountpoint()),
        "dead mount detached"
    );
    assert_eq!(sup.pid(), None);
    let mountpoint = fs.mountpoint().to_path_buf();
    drop(fs);
    assert_gone(&mountpoint, pid);
}

/// The downtime is honoured: nothing answers before it is over.
#[test]
fn downtime_keeps_the_mount_away() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().expect("start FUSE server");
    fs::write(fs.backing("f"), b"x").unwrap();
    let sup = fs.supervisor();
    sup.set_downtime(Duration::from_millis(300));
    let killed = Instant::now();
    sup.kill().unwrap();
    sup.wait_deaths(1, T).unwrap();
    // Detached and not yet back: the path is the bare directory underneath
    // (unless a very slow machine let the downtime pass already).
    match File::open(fs.path("f")) {
        Err(err) => assert_eq!(errno(&err), libc::ENOENT),
        Ok(_) => assert_eq!(sup.restarts(), 1),
    }
    sup.wait_restarts(1, T).unwrap();
    assert!(killed.elapsed() >= Duration::from_millis(300));
    assert_eq!(fs::read(fs.path("f")).unwrap(), b"x");
}

/// A request already waiting in the server when it dies fails with
/// `ECONNABORTED`, not `ENOTCONN`; later ones get `ENOTCONN`, and so does
/// `close` (whose FLUSH cannot be delivered), though the descriptor is gone.
fn in_flight_request_gets_econnaborted(kind: FuseImpl) {
    let fs = FuseServer::start(kind).expect("start FUSE server");
    fs::write(fs.backing("f"), b"contents").unwrap();
    let sup = fs.supervisor();
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(fs.path("f"))
        .unwrap();
    let pid = sup.pid().unwrap();
    // SAFETY: kill(2) on the supervised child, which is alive; SIGSTOP keeps
    // the next request waiting inside the server.
    unsafe { libc::kill(pid as libc::pid_t, libc::SIGSTOP) };
    wait_stopped(pid);
    let (tid_tx, tid_rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        // SAFETY: gettid(2) has no preconditions.
        tid_tx.send(unsafe { libc::gettid() }).unwrap();
        let mut buf = [0; 8];
        let err = file.read_at(&mut buf, 0).unwrap_err();
        (err, file)
    });
    let wchan = format!("/proc/self/task/{}/wchan", tid_rx.recv().unwrap());
    let deadline = Instant::now() + T;
    while fs::read_to_string(&wchan).unwrap_or_default() != "request_wait_answer" {
        assert!(
            Instant::now() < deadline,
            "the read never reached the server"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    sup.kill().unwrap();
    let (err, file) = reader.join().unwrap();
    assert_eq!(errno(&err), libc::ECONNABORTED, "in flight: {err}");
    let err = file.write_at(b"x", 0).unwrap_err();
    assert_eq!(errno(&err), libc::ENOTCONN, "after: {err}");

    use std::os::fd::IntoRawFd;
    // SAFETY: closing a descriptor we own and never use again.
    let rc = unsafe { libc::close(file.into_raw_fd()) };
    let err = std::io::Error::last_os_error();
    assert_eq!((rc, errno(&err)), (-1, libc::ENOTCONN), "close: {err}");
    sup.wait_restarts(1, T).unwrap();
    assert_eq!(fs::read(fs.path("f")).unwrap(), b"contents");
}

/// SIGSTOP takes effect asynchronously: until every thread is stopped, one
/// of them may still answer the request meant to hang.
fn wait_stopped(pid: u32) {
    let deadline = Instant::now() + T;
    loop {
        let tasks = fs::read_dir(format!("/proc/{pid}/task")).unwrap();
        let all_stopped = tasks.map(|t| t.unwrap().path().join("stat")).all(|stat| {
            let stat = fs::read_to_string(stat).unwrap_or_default();
            // The state follows the command name, which may hold spaces.
            let state = stat.rsplit_once(") ").map(|(_, rest)| &rest[..1]);
            state == Some("T")
        });
        if all_stopped {
            return;
        }
        assert!(Instant::now() < deadline, "server {pid} never stopped");
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn fuser_server_in_flight_request_gets_econnaborted() {
    require!(Component::Fuse);
    in_flight_request_gets_econnaborted(FuseImpl::Fuser);
}

#[test]
fn bindfs_in_flight_request_gets_econnaborted() {
    require!(Component::Bindfs);
    in_flight_request_gets_econnaborted(FuseImpl::Bindfs);
}
