//! The supervisor itself: broken servers, chaos, the skip-or-fail switch.

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use ha_cover_world::{
    Chaos, ChaosConfig, Component, Readiness, ServerSpec, SocketMode, SocketServer, Supervisor,
    missing,
};

const T: Duration = Duration::from_secs(10);

/// A server that exits at once is reported with its output, not restarted
/// in a loop.
#[test]
fn a_server_that_exits_before_ready_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let spec = ServerSpec::new(
        "failing",
        "/bin/sh",
        Readiness::UnixSocket(dir.path().join("never")),
    )
    .args(["-c", "echo out of disks >&2; exit 3"])
    .log(dir.path().join("log"));
    let started = Instant::now();
    let err = Supervisor::start(spec).unwrap_err().to_string();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(err.contains("exited before it was ready"), "{err}");
    assert!(err.contains("out of disks"), "the log is quoted: {err}");
}

/// A server that never becomes ready is killed when its time is up.
#[test]
fn a_server_that_never_gets_ready_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let spec = ServerSpec::new(
        "sleeper",
        "/bin/sleep",
        Readiness::UnixSocket(dir.path().join("never")),
    )
    .arg("30")
    .ready_timeout(Duration::from_millis(300));
    let started = Instant::now();
    let err = Supervisor::start(spec).unwrap_err().to_string();
    assert!(err.contains("not ready within"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // No way to get the pid from outside: the sleeper's death shows as no
    // `sleep 30` child of ours being left.
    let ours = std::process::id().to_string();
    let left = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let stat = std::fs::read_to_string(e.path().join("stat")).unwrap_or_default();
            let cmd = std::fs::read(e.path().join("cmdline")).unwrap_or_default();
            stat.split(' ').nth(3) == Some(&ours) && cmd.starts_with(b"/bin/sleep\x0030")
        })
        .count();
    assert_eq!(left, 0, "sleeper left running");
}

/// A missing program is an error, not a hang.
#[test]
fn a_missing_program_is_an_error() {
    let spec = ServerSpec::new(
        "ghost",
        "/nonexistent/server",
        Readiness::Check(std::sync::Arc::new(|| true)),
    );
    let err = Supervisor::start(spec).unwrap_err().to_string();
    assert!(err.contains("cannot spawn"), "{err}");
}

/// Chaos kills the requested number of times, each kill is followed by a
/// restart, and the supervisor's history agrees.
#[test]
fn chaos_kills_and_the_supervisor_restarts() {
    let server = SocketServer::start(SocketMode::Echo).expect("start socket server");
    let sup = server.supervisor();
    let chaos = Chaos::start(
        sup.handle(),
        ChaosConfig {
            seed: 7,
            kills: 4,
            min_interval: Duration::from_millis(5),
            max_interval: Duration::from_millis(40),
            ready_timeout: T,
        },
    );
    let report = chaos.join();
    assert_eq!(report.error, None);
    assert_eq!(report.kills.len(), 4);
    assert!(report.kills.iter().all(|k| k.downtime.is_some()));
    assert!(report.kills.windows(2).all(|w| w[0].at < w[1].at));
    let pids: HashSet<u32> = report.kills.iter().map(|k| k.pid).collect();
    assert_eq!(pids.len(), 4, "a new process each time");
    assert_eq!(sup.restarts(), 4);
    assert_eq!(sup.deaths(), 4);
    let history = sup.history();
    assert_eq!(history.len(), 5);
    assert!(
        history[..4]
            .iter()
            .all(|i| i.killed.is_some() && i.died.is_some())
    );
    assert!(history[4].ready.is_some() && history[4].died.is_none());
    assert!(sup.is_ready());
    let pid = sup.pid().unwrap();
    drop(server);
    assert!(!Path::new(&format!("/proc/{pid}")).exists());
}

/// Dropping a chaos run stops it early.
#[test]
fn chaos_stops_when_asked() {
    let server = SocketServer::start(SocketMode::Echo).expect("start socket server");
    let chaos = Chaos::start(
        server.supervisor().handle(),
        ChaosConfig {
            seed: 1,
            kills: 1000,
            min_interval: Duration::from_millis(50),
            max_interval: Duration::from_millis(50),
            ready_timeout: T,
        },
    );
    std::thread::sleep(Duration::from_millis(120));
    let report = chaos.stop();
    assert!(report.kills.len() < 5, "{report:?}");
}

/// Every component this machine is documented to have is found.
#[test]
fn components_are_detected() {
    for c in [Component::Fuse, Component::Bindfs, Component::Redis] {
        if let Some(why) = missing(c) {
            eprintln!("{c:?} missing: {why}");
            assert!(
                std::env::var_os("HA_COVER_REQUIRE_REAL").is_none_or(|v| v != "1"),
                "{c:?} missing under HA_COVER_REQUIRE_REAL=1: {why}"
            );
        }
    }
}
