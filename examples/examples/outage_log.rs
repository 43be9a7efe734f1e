//! What a recovering client says and counts: its log through `tracing`
//! (`tracing_subscriber::fmt()` at INFO) and its metrics through the
//! `metrics` facade (here metrics-util's debugging recorder, printed at the
//! end; in production, any exporter: Prometheus, StatsD...).
//!
//! The file server (our FUSE server, under a supervisor) is killed with
//! SIGKILL and stays down 3 s: the log says once that the connection is lost,
//! that it is still recovering (after 0.5 s then every second here; after 1 s
//! then every 5 s by default), and once that it is back, with the downtime.
//! Then it is killed and not restarted: the recovery gives up at its deadline
//! and says why, once.
//!
//! It takes about 8 s.
//!
//! Run it with `cargo run --example outage_log` (it mounts FUSE file systems:
//! `/dev/fuse` and root, or `fusermount3`).

use std::io::Read;
use std::process::ExitCode;
use std::time::Duration;

use ha_cover::{Builder, Progress};
use ha_cover_world::{self as world, Component, FuseServer};
use metrics_util::debugging::{DebugValue, DebuggingRecorder};

fn main() -> ExitCode {
    world::serve_if_asked();
    if let Some(why) = world::missing(Component::Fuse) {
        eprintln!("outage_log: cannot mount a FUSE file system here: {why}.");
        return ExitCode::FAILURE;
    }
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    if recorder.install().is_err() {
        eprintln!("outage_log: a metrics recorder was installed already");
        return ExitCode::FAILURE;
    }
    match run() {
        Ok(()) => {}
        Err(e) => {
            eprintln!("outage_log: {e}");
            return ExitCode::FAILURE;
        }
    }
    println!("metrics:");
    let mut lines: Vec<String> = snapshotter
        .snapshot()
        .into_vec()
        .into_iter()
        .map(|(key, _, _, value)| {
            let labels: Vec<String> = key
                .key()
                .labels()
                .map(|l| format!("{}=\"{}\"", l.key(), l.value()))
                .collect();
            let value = match value {
                DebugValue::Counter(n) => n.to_string(),
                DebugValue::Gauge(v) => v.into_inner().to_string(),
                DebugValue::Histogram(values) => {
                    let values: Vec<String> = values
                        .iter()
                        .map(|v| format!("{:.3}", v.into_inner()))
                        .collect();
                    format!("[{}]", values.join(", "))
                }
            };
            format!("  {}{{{}}} {value}", key.key().name(), labels.join(","))
        })
        .collect();
    lines.sort();
    for line in lines {
        println!("{line}");
    }
    ExitCode::SUCCESS
}

fn run() -> std::io::Result<()> {
    let server = FuseServer::fuser()?;
    std::fs::write(server.backing("ledger"), vec![b'x'; 64 * 1024])?;
    let mut ledger = Builder::new()
        .name("ledger")
        .progress(Progress::new(
            Duration::from_millis(500),
            Duration::from_secs(1),
        ))
        .deadline(Duration::from_secs(4))
        .open(server.path("ledger"), ha_cover::reopen_seek, ())?;
    let mut buf = [0; 1024];
    ledger.read_exact(&mut buf)?;
    let supervisor = server.supervisor();

    println!("killing the file server; the supervisor restarts it 3 s later");
    supervisor.set_downtime(Duration::from_secs(3));
    supervisor.kill_and_wait(Duration::from_secs(10))?;
    ledger.read_exact(&mut buf)?;
    println!("read on across the outage");

    println!("killing the file server for good; the recovery gives up at its 4 s deadline");
    supervisor.set_auto_restart(false);
    supervisor.kill_and_wait(Duration::from_secs(10))?;
    match ledger.read(&mut buf) {
        Ok(_) => println!("read? the server was killed"),
        Err(e) => println!("the read failed: {e}"),
    }
    supervisor.restart();
    println!("{}", ledger.control().stats());
    Ok(())
}
