//! Running unmodified programs with the library preloaded over a FUSE mount
//! whose server is SIGKILLed and restarted while they run.
//!
//! Two ways to keep the deaths inside a program's run: [`streamed`] reads the
//! program's output slowly while the chaos lasts (a program blocked on a full
//! pipe holds its files open between kills), and [`repeated`] runs a program
//! again and again until the chaos ends, checking every run.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ha_cover_world::{Chaos, ChaosConfig, ChaosReport, FuseServer};

use super::{T, build};

/// `program` with `libha_cover.so` preloaded, covering `server`'s mount, one
/// line on stderr per recovery.
pub fn command(server: &FuseServer, program: impl AsRef<OsStr>) -> Command {
    let mut command = Command::new(program);
    command
        .env("LD_PRELOAD", build().lib_dir.join("libha_cover.so"))
        .env("HA_COVER_PATHS", server.mountpoint())
        .env("HA_COVER_LOG", "1");
    command
}

/// Kills `server` `kills` times, each 20 to 60 ms after it was back.
pub fn chaos(server: &FuseServer, kills: usize, seed: u64) -> Chaos {
    // Built first: a build while the chaos runs would take its kills.
    build();
    Chaos::start(
        server.supervisor().handle(),
        ChaosConfig {
            seed,
            kills,
            min_interval: Duration::from_millis(20),
            max_interval: Duration::from_millis(60),
            ready_timeout: T,
        },
    )
}

/// The recoveries the library logged in `stderr` (`HA_COVER_LOG`).
pub fn recoveries_in(stderr: &str) -> usize {
    stderr
        .lines()
        .filter(|l| l.starts_with("ha-cover: ") && l.contains(": recovered after "))
        .count()
}

/// Whether `line` is one of the library's lines about a recovery (its
/// events, a wait for the server): not a warning.
pub fn is_recovery_line(line: &str) -> bool {
    line.starts_with("ha-cover: waited ")
        || (line.starts_with("ha-cover: ")
            && [
                ": connection lost: ",
                ": still recovering after ",
                ": recovered after ",
            ]
            .iter()
            .any(|event| line.contains(event)))
}

/// What a program did.
#[derive(Debug)]
pub struct Outcome {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Outcome {
    /// The recoveries the library logged.
    pub fn recoveries(&self) -> usize {
        recoveries_in(&self.stderr)
    }

    /// The deaths the program met: a recovery of an open file, or a call on a
    /// path that waited for the server.
    pub fn deaths_met(&self) -> usize {
        self.recoveries() + self.stderr.matches("ha-cover: waited ").count()
    }

    /// Panics unless the program succeeded and said nothing on stderr but
    /// the library's recovery lines.
    pub fn assert_clean(&self, what: &str) {
        let other: Vec<&str> = self
            .stderr
            .lines()
            .filter(|l| !is_recovery_line(l))
            .collect();
        assert!(
            self.status.success() && other.is_empty(),
            "{what}: {}, stderr:\n{}",
            self.status,
            self.stderr
        );
    }
}

/// Kills the program if the test ends first.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

fn collect_stderr(child: &mut Child) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    if let Some(mut pipe) = child.stderr.take() {
        let sink = Arc::clone(&text);
        std::thread::spawn(move || {
            let mut buf = String::new();
            let _ = pipe.read_to_string(&mut buf);
            sink.lock().unwrap().push_str(&buf);
        });
    }
    text
}

fn wait(running: &mut Running, what: &str) -> ExitStatus {
    let deadline = Instant::now() + T;
    loop {
        if let Some(status) = running.0.try_wait().expect("waitpid") {
            return status;
        }
        assert!(Instant::now() < deadline, "{what} did not end in time");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Runs `command` with its output read slowly while `chaos` lasts, and
/// `input` fed slowly to its stdin meanwhile; the whole output once it ended.
pub fn streamed(
    mut command: Command,
    chaos: Chaos,
    input: Option<Vec<u8>>,
) -> (Outcome, ChaosReport) {
    command
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut running = Running(command.spawn().expect("the program starts"));
    let stderr = collect_stderr(&mut running.0);
    let chaos = Arc::new(Mutex::new(Some(chaos)));
    let lasting = {
        let chaos = Arc::clone(&chaos);
        move || {
            chaos
                .lock()
                .unwrap()
                .as_ref()
                .is_some_and(Chaos::is_running)
        }
    };
    if let (Some(input), Some(mut stdin)) = (input, running.0.stdin.take()) {
        let lasting = lasting.clone();
        std::thread::spawn(move || {
            for chunk in input.chunks(512) {
                if stdin.write_all(chunk).is_err() {
                    return;
                }
                if lasting() {
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
        });
    }
    let mut stdout = running.0.stdout.take().expect("piped");
    let mut output = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stdout.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => output.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => panic!("reading the program's output: {e}"),
        }
        if lasting() {
            std::thread::sleep(Duration::from_millis(4));
        }
    }
    let status = wait(&mut running, "the program");
    let report = chaos.lock().unwrap().take().expect("chaos").join();
    assert!(report.error.is_none(), "chaos: {:?}", report.error);
    std::thread::sleep(Duration::from_millis(20));
    let stderr = stderr.lock().unwrap().clone();
    (
        Outcome {
            status,
            stdout: output,
            stderr,
        },
        report,
    )
}

/// Runs `make()` again and again while `chaos` lasts (at least once),
/// `check`ing each run; the number of runs and of deaths the runs met (see
/// [`Outcome::deaths_met`]).
pub fn repeated(
    make: impl Fn(usize) -> Command,
    chaos: Chaos,
    check: impl Fn(usize, &Outcome),
) -> (usize, usize, ChaosReport) {
    let mut runs = 0;
    let mut recoveries = 0;
    loop {
        let mut command = make(runs);
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let started = Instant::now();
        let mut running = Running(command.spawn().expect("the program starts"));
        let stderr = collect_stderr(&mut running.0);
        let mut stdout = Vec::new();
        running
            .0
            .stdout
            .take()
            .expect("piped")
            .read_to_end(&mut stdout)
            .expect("the program's output");
        let status = wait(&mut running, "the program");
        std::thread::sleep(Duration::from_millis(5));
        let outcome = Outcome {
            status,
            stdout,
            stderr: stderr.lock().unwrap().clone(),
        };
        if std::env::var_os("HA_COVER_TEST_TRACE").is_some() {
            eprintln!("run {runs}: {:?} {}", started.elapsed(), outcome.stderr);
        }
        check(runs, &outcome);
        recoveries += outcome.deaths_met();
        runs += 1;
        if !chaos.is_running() {
            break;
        }
    }
    let report = chaos.join();
    assert!(report.error.is_none(), "chaos: {:?}", report.error);
    (runs, recoveries, report)
}

/// `len` bytes of a pattern with no period a reader could resynchronize on.
pub fn pattern(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// Panics with where `got` first differs from `expected`.
pub fn assert_same(what: &str, got: &[u8], expected: &[u8]) {
    if got != expected {
        let at = got.iter().zip(expected).position(|(a, b)| a != b);
        panic!(
            "{what}: {} bytes, {} expected, first difference at {at:?}",
            got.len(),
            expected.len()
        );
    }
}

/// `/usr/bin/python3` when there is one (a version manager's `python3` on
/// PATH is a shell script that runs the interpreter through several execs).
pub fn python3() -> &'static str {
    if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

/// Reads `pipe` to its end on a thread; what came so far.
pub fn drain(mut pipe: impl Read + Send + 'static) -> Arc<Mutex<Vec<u8>>> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        loop {
            match pipe.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => sink.lock().unwrap().extend_from_slice(&buf[..n]),
            }
        }
    });
    seen
}

/// `len` bytes of the pattern the C programs check what they read against.
pub fn pattern_251(len: u64) -> Vec<u8> {
    (0..len).map(|k| ((k * 7 + 3) % 251) as u8).collect()
}
