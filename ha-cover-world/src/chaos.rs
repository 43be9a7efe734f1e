//! Kill a supervised server at random moments, and measure the damage.
//!
//! Seeded, so that a failing run can be repeated with the same kill times.
//! Each kill waits for the server to be ready first: killing a server that is
//! still starting tests the supervisor, not the client.

use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::rng::Rng;
use crate::supervisor::SupervisorHandle;

/// How the chaos thread kills.
#[derive(Debug, Clone)]
pub struct ChaosConfig {
    /// Fixes the intervals.
    pub seed: u64,
    /// How many kills.
    pub kills: usize,
    /// Shortest time from the server being ready to the next kill.
    pub min_interval: Duration,
    /// Longest time from the server being ready to the next kill.
    pub max_interval: Duration,
    /// How long to wait for the server to come back before giving up.
    pub ready_timeout: Duration,
}

impl Default for ChaosConfig {
    fn default() -> Self {
        ChaosConfig {
            seed: 1,
            kills: 5,
            min_interval: Duration::from_millis(20),
            max_interval: Duration::from_millis(200),
            ready_timeout: Duration::from_secs(10),
        }
    }
}

/// One kill.
#[derive(Debug, Clone)]
pub struct ChaosKill {
    /// The pid killed.
    pub pid: u32,
    /// When, counted from the start of the chaos.
    pub at: Duration,
    /// From the kill until the restarted server was ready; `None` if it did
    /// not come back (see [`ChaosReport::error`]).
    pub downtime: Option<Duration>,
}

/// What the chaos thread did.
#[derive(Debug, Clone, Default)]
pub struct ChaosReport {
    /// Every kill, in order.
    pub kills: Vec<ChaosKill>,
    /// Why it ended before all kills were done, if it did.
    pub error: Option<String>,
}

impl ChaosReport {
    /// The longest downtime seen.
    pub fn max_downtime(&self) -> Option<Duration> {
        self.kills.iter().filter_map(|k| k.downtime).max()
    }
}

/// A running chaos thread. Dropping it stops the thread (without waiting for
/// the remaining kills).
#[derive(Debug)]
pub struct Chaos {
    stop: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<ChaosReport>>,
}

impl Chaos {
    /// Starts killing `server` as `config` says.
    pub fn start(server: SupervisorHandle, config: ChaosConfig) -> Chaos {
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let thread_stop = Arc::clone(&stop);
        let thread = thread::Builder::new()
            .name(format!("chaos-{}", server.name()))
            .spawn(move || run(&server, &config, &thread_stop))
            .expect("spawn chaos thread");
        Chaos {
            stop,
            thread: Some(thread),
        }
    }

    /// Whether kills are still to come: false once every kill is done and the
    /// server is back, or the chaos gave up. Loops that run "while the chaos
    /// lasts" ask this, so that they end even when the server does not come
    /// back.
    pub fn is_running(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// Waits until every kill is done and the server is back (or the chaos
    /// gave up), and reports.
    pub fn join(mut self) -> ChaosReport {
        self.thread
            .take()
            .map(|t| t.join().unwrap_or_else(|_| panicked()))
            .unwrap_or_default()
    }

    /// Stops after the kill in progress, and reports.
    pub fn stop(mut self) -> ChaosReport {
        self.signal_stop();
        self.join()
    }

    fn signal_stop(&mut self) {
        let (flag, cv) = &*self.stop;
        *flag.lock().unwrap_or_else(|e| e.into_inner()) = true;
        cv.notify_all();
    }
}

impl Drop for Chaos {
    fn drop(&mut self) {
        self.signal_stop();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn panicked() -> ChaosReport {
    ChaosReport {
        kills: Vec::new(),
        error: Some("chaos thread panicked".to_owned()),
    }
}

fn run(
    server: &SupervisorHandle,
    config: &ChaosConfig,
    stop: &(Mutex<bool>, Condvar),
) -> ChaosReport {
    let start = Instant::now();
    let mut rng = Rng::new(config.seed);
    let mut report = ChaosReport::default();
    for _ in 0..config.kills {
        if let Err(e) = server.wait_ready(config.ready_timeout) {
            report.error = Some(e.to_string());
            break;
        }
        let min = config.min_interval.as_micros() as u64;
        let max = config.max_interval.as_micros() as u64;
        let pause = Duration::from_micros(rng.between(min, max));
        if sleep_unless_stopped(stop, pause) {
            break;
        }
        let restarts = server.restarts();
        let killed_at = Instant::now();
        let Some(pid) = server.kill() else {
            report.error = Some("no server running to kill".to_owned());
            break;
        };
        let back = server.wait_restarts(restarts + 1, config.ready_timeout);
        report.kills.push(ChaosKill {
            pid,
            at: killed_at - start,
            downtime: back.as_ref().ok().map(|()| killed_at.elapsed()),
        });
        if let Err(e) = back {
            report.error = Some(e.to_string());
            break;
        }
    }
    report
}

/// Sleeps for `pause`; true if told to stop meanwhile.
fn sleep_unless_stopped(stop: &(Mutex<bool>, Condvar), pause: Duration) -> bool {
    let (flag, cv) = stop;
    let deadline = Instant::now() + pause;
    let mut stopped = flag.lock().unwrap_or_else(|e| e.into_inner());
    while !*stopped {
        let now = Instant::now();
        if now >= deadline {
            return false;
        }
        stopped = cv
            .wait_timeout(stopped, deadline - now)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
    true
}
