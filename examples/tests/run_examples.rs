//! Every example runs end to end, as a newcomer runs it (`cargo run --example
//! <name>`), against servers that really die.
//!
//! `cargo test` builds the examples before running this; alone, run it with
//! `cargo test -p ha-cover-examples --examples --test run_examples`.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ha_cover_world::Component;
use ha_cover_world::require;

/// The example's executable, which `cargo test` builds beside the tests.
fn example(name: &str) -> std::path::PathBuf {
    let deps = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    deps.parent().unwrap().join("examples").join(name)
}

/// Runs the example to completion (or kills it after a minute) and returns its
/// output, failing the test if it did not succeed.
fn run(name: &str, self_serve: bool) -> String {
    let limit = Duration::from_secs(60);
    let mut child = Command::new(example(name))
        .env(
            "HA_COVER_WORLD_SELF_SERVE",
            if self_serve { "1" } else { "0" },
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{name} was not built: {e}"));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            child.kill().unwrap();
            panic!("{name} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let (mut out, mut err) = (String::new(), String::new());
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut out).unwrap();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert!(
        status.success(),
        "{name}: {status}\n--- stdout\n{out}--- stderr\n{err}"
    );
    out
}

#[test]
fn testfile_reads_across_a_server_death_and_counts_one_recovery() {
    require!(Component::Fuse);
    // Both ways the file server can be started: the built binary, and the
    // example's own executable (what `cargo run --example` gets).
    for self_serve in [false, true] {
        let out = run("testfile", self_serve);
        let lines: Vec<&str> = out.lines().collect();
        assert!(
            lines.contains(&r#"read 15 bytes: "This is line on""#),
            "{out}"
        );
        assert!(
            lines.contains(&r#"read 15 bytes: "e of the test f""#),
            "{out}"
        );
        assert!(out.contains("with SIGKILL"), "{out}");
        assert_eq!(lines.last(), Some(&"total recoveries, 1"), "{out}");
    }
}

#[test]
fn testfile_derive_needs_no_recovery_code() {
    require!(Component::Fuse);
    let out = run("testfile_derive", true);
    assert!(out.contains(r#"read 15 bytes: "e of the test f""#), "{out}");
    assert!(out.contains("offset kept by the cover: 30"), "{out}");
    assert!(out.ends_with("total recoveries, 1\n"), "{out}");
}

#[test]
fn recovery_functions_per_connection_and_replaced_at_run_time() {
    require!(Component::Fuse);
    let out = run("recovery_functions", true);
    assert!(
        out.contains(r#"start-over reader read "abcd" after recovering with ["start_over"]"#),
        "{out}"
    );
    assert!(
        out.contains(r#"functions used: ["resume", "resume_and_report"]"#),
        "{out}"
    );
    assert!(
        out.ends_with("recoveries: reader 2, start-over reader 1\n"),
        "{out}"
    );
}

#[test]
fn line_reader_resumes_at_the_last_complete_line() {
    require!(Component::Fuse);
    let out = run("line_reader", true);
    assert!(
        out.contains(r#"dropping the torn half line "entry 6: to""#),
        "{out}"
    );
    assert!(out.ends_with("all 8 lines read once, none torn\n"), "{out}");
}

#[test]
fn failover_continues_on_the_replica() {
    require!(Component::Fuse);
    let out = run("failover", true);
    assert!(out.contains("failing over to"), "{out}");
    assert!(
        out.ends_with("every byte once, in order; reading from replica 1\n"),
        "{out}"
    );
}

#[test]
fn redis_session_is_replayed_after_a_restart() {
    require!(Component::Redis);
    let out = run("redis_session", false);
    assert!(
        out.contains("replayed SELECT Some(3) and CLIENT SETNAME Some(\"inventory-1\")"),
        "{out}"
    );
    assert!(out.contains("GET stock -> 42"), "{out}");
    assert!(
        out.ends_with("session restored 1 time(s); the client carried on\n"),
        "{out}"
    );
}

#[test]
fn connection_file_reads_and_appends_across_a_server_death() {
    require!(Component::Fuse);
    let out = run("connection_file", true);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines.contains(&r#"read 15 bytes: "This is line on""#),
        "{out}"
    );
    assert!(
        lines.contains(&r#"read 15 bytes: "e of the test f""#),
        "{out}"
    );
    assert!(out.contains("with SIGKILL"), "{out}");
    assert!(lines.contains(&"journal: 2 lines, each once"), "{out}");
    assert!(
        lines.contains(&"journal reopened 1 time(s); offset 30"),
        "{out}"
    );
    assert_eq!(lines.last(), Some(&"total recoveries, 1"), "{out}");
}

#[test]
fn connection_unix_applies_every_incr_once_across_server_deaths() {
    let out = run("connection_unix", true);
    let values: Vec<&str> = out
        .lines()
        .filter_map(|line| line.strip_prefix("INCR -> "))
        .collect();
    assert_eq!(values, ["1", "2", "3", "4", "5", "6"], "{out}");
    assert_eq!(out.matches("with SIGKILL").count(), 2, "{out}");
    assert!(
        out.ends_with("every INCR applied once across 2 reconnection(s)\n"),
        "{out}"
    );
}

#[test]
fn connection_tcp_resumes_a_stream_across_server_deaths() {
    let out = run("connection_tcp", true);
    assert_eq!(out.matches("with SIGKILL").count(), 2, "{out}");
    assert_eq!(
        out.matches("reconnected; asking for the stream FROM ")
            .count(),
        2,
        "{out}"
    );
    assert!(
        out.ends_with(" bytes, exactly the server's stream, across 2 reconnection(s)\n"),
        "{out}"
    );
}

#[test]
fn sentinel_failover_rides_through_three_failovers() {
    require!(
        Component::Redis,
        Component::Program {
            name: "redis-sentinel",
            package: "redis-sentinel",
        }
    );
    let out = run("sentinel_failover", false);
    assert!(
        out.contains("the client rode through 3 failovers with 3 recoveries"),
        "{out}"
    );
    assert_eq!(out.matches("client: writing again, on").count(), 3, "{out}");
    assert!(out.contains("0 refused as by a replica"), "{out}");
}

#[test]
fn outage_log_shows_an_outage_once_at_each_end_and_its_metrics() {
    require!(Component::Fuse);
    let out = run("outage_log", false);
    let count = |what: &str| out.lines().filter(|l| l.contains(what)).count();
    assert_eq!(count("connection lost; recovering"), 2, "{out}");
    assert_eq!(count("connection recovered"), 1, "{out}");
    assert_eq!(count("not recovered"), 1, "{out}");
    // A 3 s outage, reported after 0.5 s then every second; a 4 s give-up.
    let reports = count("still recovering");
    assert!((4..=9).contains(&reports), "{reports}:\n{out}");
    for metric in [
        "ha_cover_failures_total{kind=\"file\",connection=\"ledger\"} 2",
        "ha_cover_recoveries_total{kind=\"file\",connection=\"ledger\"} 1",
        "ha_cover_give_ups_total{kind=\"file\",connection=\"ledger\",reason=\"deadline\"} 1",
        "ha_cover_recovering{kind=\"file\",connection=\"ledger\"} 0",
    ] {
        assert!(out.contains(metric), "{metric}:\n{out}");
    }
}
