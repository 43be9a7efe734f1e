//! The README's main example runs end to end: `cargo run --example testfile`.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ha_cover_examples::require;
use ha_cover_examples::world::Component;

/// The example's executable, which `cargo test` builds beside the tests.
fn example(name: &str) -> std::path::PathBuf {
    let deps = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    deps.parent().unwrap().join("examples").join(name)
}

/// Runs the example to completion (or kills it after `limit`) and returns its
/// exit status and output.
fn run(name: &str, self_serve: bool, limit: Duration) -> (std::process::ExitStatus, String) {
    let mut child = Command::new(example(name))
        .env(
            "HA_COVER_WORLD_SELF_SERVE",
            if self_serve { "1" } else { "0" },
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
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
    let mut out = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut out).unwrap();
    (status, out)
}

#[test]
fn testfile_reads_across_a_server_death_and_counts_one_recovery() {
    require!(Component::Fuse);
    // Both ways the file server can be started: the built binary, and the
    // example's own executable (what `cargo run --example` gets).
    for self_serve in [false, true] {
        let (status, out) = run("testfile", self_serve, Duration::from_secs(60));
        assert!(status.success(), "self_serve {self_serve}: {status}\n{out}");
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
