//! What a recovering program says, against our FUSE server killed with
//! SIGKILL and kept down for a while: through `tracing` (captured by a test
//! subscriber at INFO, as `tracing_subscriber::fmt()` prints it), one line
//! when the outage starts, a bounded number of "still recovering" lines, one
//! line when it ends (with the downtime) or gives up (with its reason), each
//! naming the connection; through the `metrics` facade (metrics-util's
//! debugging recorder), the counters and the downtime histogram.
//!
//! The progress schedule is shortened (after 100 ms, then every 500 ms) so
//! that an outage of about 1.3 s shows what a 30 s one shows with the
//! defaults (after 1 s, then every 5 s).

use std::fs::{self, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ha_cover::{Builder, Progress};
use ha_cover_world::require;
use ha_cover_world::{Component, FuseServer};
use metrics_util::debugging::{DebugValue, DebuggingRecorder};

const T: Duration = Duration::from_secs(10);
const OUTAGE: Duration = Duration::from_millis(1300);
const FIRST: Duration = Duration::from_millis(100);
const EVERY: Duration = Duration::from_millis(500);

fn progress() -> Progress {
    Progress::new(FIRST, EVERY)
}

/// What the test subscriber printed.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Runs `f` under `tracing_subscriber::fmt()` at INFO, writing to a buffer;
/// returns what `f` returned and the lines printed.
fn logged<R>(f: impl FnOnce() -> R) -> (R, Vec<String>) {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let result = tracing::subscriber::with_default(subscriber, f);
    let text = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    (result, text.lines().map(str::to_owned).collect())
}

fn count(lines: &[String], what: &str) -> usize {
    lines.iter().filter(|l| l.contains(what)).count()
}

fn position(lines: &[String], what: &str) -> usize {
    lines
        .iter()
        .position(|l| l.contains(what))
        .unwrap_or_else(|| panic!("no {what:?} in {lines:#?}"))
}

/// The reports a recovery of `elapsed` makes: after `FIRST`, then every
/// `EVERY`.
fn reports_within(elapsed: Duration) -> usize {
    match elapsed.checked_sub(FIRST) {
        None => 0,
        Some(after) => 1 + (after.as_millis() / EVERY.as_millis()) as usize,
    }
}

fn server_with(data: &[u8]) -> FuseServer {
    let fs = FuseServer::fuser().unwrap();
    fs::write(fs.backing("data"), data).unwrap();
    fs
}

#[test]
fn an_outage_is_one_line_when_it_starts_a_few_while_it_lasts_and_one_when_it_ends() {
    require!(Component::Fuse);
    let data: Vec<u8> = (0..4096u32).map(|i| i as u8).collect();
    let fs = server_with(&data);
    let mut cover = Builder::new()
        .name("orders")
        .progress(progress())
        .open(fs.path("data"), ha_cover::reopen_seek, ())
        .unwrap();
    let mut got = vec![0; 100];
    cover.read_exact(&mut got).unwrap();
    // Down for OUTAGE after its death, then restarted by the supervisor.
    fs.supervisor().set_downtime(OUTAGE);
    fs.supervisor().kill_and_wait(T).unwrap();
    let started = Instant::now();
    let (read, lines) = logged(|| cover.read_to_end(&mut got));
    let took = started.elapsed();
    read.unwrap();
    assert!(got == data, "the bytes read across the outage differ");
    let text = lines.join("\n");

    assert_eq!(count(&lines, "connection lost; recovering"), 1, "{text}");
    assert_eq!(count(&lines, "connection recovered"), 1, "{text}");
    let reports = count(&lines, "still recovering");
    // The reports the outage's length allows, give or take the one due as
    // the connection came back.
    let most = reports_within(took);
    assert!(
        reports >= most.saturating_sub(1) && reports <= most && reports >= 2,
        "{reports} progress lines in {took:?}:\n{text}"
    );
    assert_eq!(lines.len(), 2 + reports, "nothing else at INFO:\n{text}");
    // In order: the start, the progress, the end.
    let (lost, first_report, back) = (
        position(&lines, "connection lost"),
        position(&lines, "still recovering"),
        position(&lines, "connection recovered"),
    );
    assert!(lost < first_report && first_report < back, "{text}");
    // Every line is in the recovery's span, which names the connection.
    let path = fs.path("data");
    let span = format!(
        "recovery{{name=\"orders\" path={} kind=file fd=",
        path.display()
    );
    for line in &lines {
        assert!(line.contains(&span), "{line}");
        assert!(
            line.contains("cause=ENOTCONN") || line.contains("cause=ECONNABORTED"),
            "{line}"
        );
    }
    assert!(lines[back].contains("downtime="), "{}", lines[back]);
    assert!(
        lines[first_report].contains("waiting_for=mount"),
        "{}",
        lines[first_report]
    );
    // Stats and their one line agree.
    let stats = cover.control().stats();
    assert_eq!((stats.failures, stats.recoveries), (1, 1));
    let shown = stats.to_string();
    assert!(
        shown.starts_with(&format!(
            "\"orders\" ({}): 1 failure, 1 recovered, 0 gave up",
            path.display()
        )),
        "{shown}"
    );
    assert!(format!("{cover:?}").contains("\"orders\""), "{cover:?}");
}

#[test]
fn an_outage_that_outlasts_the_deadline_ends_in_one_line_that_says_why() {
    require!(Component::Fuse);
    let fs = server_with(&[7; 4096]);
    let mut cover = Builder::new()
        .progress(progress())
        .deadline(Duration::from_millis(800))
        .open(fs.path("data"), ha_cover::reopen_seek, ())
        .unwrap();
    cover.read_exact(&mut [0; 10]).unwrap();
    fs.supervisor().set_auto_restart(false);
    fs.supervisor().kill_and_wait(T).unwrap();
    let (read, lines) = logged(|| cover.read(&mut [0; 10]));
    let error = read.unwrap_err();
    fs.supervisor().restart();
    let text = lines.join("\n");
    assert!(
        matches!(
            error.raw_os_error(),
            Some(libc::ENOTCONN | libc::ECONNABORTED)
        ),
        "the caller's own error: {error:?}"
    );
    assert_eq!(count(&lines, "connection lost; recovering"), 1, "{text}");
    let reports = count(&lines, "still recovering");
    assert!(
        (1..=reports_within(Duration::from_millis(800))).contains(&reports),
        "{text}"
    );
    assert_eq!(count(&lines, "not recovered"), 1, "{text}");
    let end = &lines[position(&lines, "not recovered")];
    assert!(end.contains(" ERROR "), "{end}");
    assert!(
        end.contains("reason=the deadline of 800ms passed after ")
            && end.contains("; the last failed with: "),
        "the real reason, once: {end}"
    );
    assert_eq!(end.matches("gave up").count(), 0, "no repeated text: {end}");
    assert!(
        end.contains(&fs.path("data").display().to_string()),
        "{end}"
    );
    assert_eq!(lines.len(), 2 + reports, "{text}");
}

#[test]
fn the_metrics_facade_gets_the_counters_and_the_downtime() {
    require!(Component::Fuse);
    let fs = server_with(&[1; 8192]);
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let mut options = OpenOptions::new();
    options.read(true).write(true);
    let mut cover = Builder::new()
        .name("ledger")
        .deadline(Duration::from_millis(500))
        .open_with(fs.path("data"), &options, ha_cover::reopen_seek, ())
        .unwrap();
    metrics::with_local_recorder(&recorder, || {
        cover.seek(SeekFrom::Start(100)).unwrap();
        // A write across a death: recovered, and sent again.
        fs.supervisor().set_downtime(Duration::from_millis(200));
        fs.supervisor().kill_and_wait(T).unwrap();
        cover.write_all(&[2; 300]).unwrap();
        // A death that outlasts the deadline: a give-up.
        fs.supervisor().set_auto_restart(false);
        fs.supervisor().kill_and_wait(T).unwrap();
        assert!(cover.read(&mut [0; 10]).is_err());
        fs.supervisor().restart();
    });
    let mut counters = std::collections::BTreeMap::new();
    let mut downtimes = Vec::new();
    let mut recovering = None;
    for (key, _, _, value) in snapshot_of(&snapshotter) {
        let labels: Vec<String> = key
            .key()
            .labels()
            .map(|l| format!("{}={}", l.key(), l.value()))
            .collect();
        assert!(
            labels.contains(&"kind=file".to_owned())
                && labels.contains(&"connection=ledger".to_owned()),
            "{} {labels:?}",
            key.key().name()
        );
        let name = key.key().name().to_owned();
        match value {
            DebugValue::Counter(n) => {
                let reason = labels.iter().find(|l| l.starts_with("reason="));
                let name = match reason {
                    Some(reason) => format!("{name}{{{reason}}}"),
                    None => name,
                };
                counters.insert(name, n);
            }
            DebugValue::Histogram(values) => {
                for value in values {
                    let outcome = labels.iter().find(|l| l.starts_with("outcome=")).cloned();
                    downtimes.push((outcome.unwrap_or_default(), value.into_inner()));
                }
            }
            DebugValue::Gauge(value) => recovering = Some(value.into_inner()),
        }
    }
    let expected: std::collections::BTreeMap<String, u64> = [
        ("ha_cover_failures_total", 2),
        ("ha_cover_recoveries_total", 1),
        ("ha_cover_give_ups_total{reason=deadline}", 1),
        ("ha_cover_retransmitted_bytes_total", 300),
    ]
    .into_iter()
    .map(|(name, n)| (name.to_owned(), n))
    .collect();
    assert_eq!(counters, expected);
    assert_eq!(recovering, Some(0.0), "no connection recovering at the end");
    downtimes.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(downtimes.len(), 2, "{downtimes:?}");
    let (gave_up, recovered) = (&downtimes[0], &downtimes[1]);
    assert_eq!(gave_up.0, "outcome=gave_up");
    assert!(gave_up.1 >= 0.5, "{downtimes:?}");
    assert_eq!(recovered.0, "outcome=recovered");
    assert!(recovered.1 > 0.0 && recovered.1 < 0.5, "{downtimes:?}");
}

type Snapshot = Vec<(
    metrics_util::CompositeKey,
    Option<metrics::Unit>,
    Option<metrics::SharedString>,
    DebugValue,
)>;

fn snapshot_of(snapshotter: &metrics_util::debugging::Snapshotter) -> Snapshot {
    snapshotter.snapshot().into_vec()
}
