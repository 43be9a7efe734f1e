//! A plain C program with no logger of its own says what its recoveries do
//! under `HA_COVER_LOG=info`: one line when its FUSE server (killed with
//! SIGKILL, kept down for a while) is lost, a bounded number of "still
//! recovering" lines (`HA_COVER_PROGRESS`, shortened here from the default
//! `1s,5s`), one when it is back with the downtime; each naming the
//! descriptor's path and number. Without `HA_COVER_LOG`, nothing.

mod common;

use std::fs;
use std::time::{Duration, Instant};

use common::{Program, T, compile};
use ha_cover_world::require;
use ha_cover_world::{Component, FuseServer};

const OUTAGE: Duration = Duration::from_millis(1300);

/// Runs `logged.c` across an outage of about `OUTAGE` with `env`; returns
/// its stderr and how long its read took.
fn across_an_outage(env: &[(&str, &str)]) -> (String, Duration, std::path::PathBuf) {
    let exe = compile("logged", "", &[]);
    let server = FuseServer::fuser().expect("the FUSE server starts");
    fs::write(server.backing("testfile"), b"0123456789abcdefghij").expect("the backing file");
    let path = server.path("testfile");
    let mut vars: Vec<(&str, &std::ffi::OsStr)> = vec![("TESTFILE", path.as_os_str())];
    vars.extend(env.iter().map(|(k, v)| (*k, std::ffi::OsStr::new(v))));
    let mut program = Program::start(&exe, &[], &vars);
    program.expect("ready");
    server.supervisor().set_downtime(OUTAGE);
    server
        .supervisor()
        .kill_and_wait(T)
        .expect("the server dies");
    let started = Instant::now();
    program.send("go");
    program.expect("read: abcdefghij");
    let took = started.elapsed();
    let stderr = program.stderr();
    (stderr, took, path)
}

#[test]
fn ha_cover_log_prints_the_start_the_progress_and_the_end_of_an_outage() {
    require!(Component::Fuse);
    let (stderr, took, path) = across_an_outage(&[
        ("HA_COVER_LOG", "info"),
        ("HA_COVER_PROGRESS", "100ms,500ms"),
    ]);
    let lines: Vec<&str> = stderr.lines().collect();
    let named = format!("ha-cover: {} (fd 3): ", path.display());
    for line in &lines {
        assert!(line.starts_with(&named), "{line}\n{stderr}");
    }
    let count = |what: &str| lines.iter().filter(|l| l.contains(what)).count();
    assert_eq!(count("connection lost: ENOTCONN"), 1, "{stderr}");
    assert!(lines[0].ends_with("; recovering"), "{stderr}");
    assert_eq!(count(": recovered after "), 1, "{stderr}");
    assert!(
        lines.last().unwrap().contains(": recovered after "),
        "{stderr}"
    );
    let reports = count(": still recovering after ");
    let most = 1 + ((took.as_millis().saturating_sub(100)) / 500) as usize;
    assert!(
        reports >= 2 && reports <= most,
        "{reports} progress lines in {took:?}:\n{stderr}"
    );
    assert_eq!(lines.len(), 2 + reports, "{stderr}");
}

#[test]
fn without_ha_cover_log_a_recovery_is_silent() {
    require!(Component::Fuse);
    let (stderr, _, _) = across_an_outage(&[("HA_COVER_PROGRESS", "100ms,500ms")]);
    assert_eq!(stderr, "");
}
