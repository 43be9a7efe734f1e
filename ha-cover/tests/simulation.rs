//! Deterministic simulation testing of the recovery engine (in the manner of
//! FoundationDB's simulator and TigerBeetle's VOPR).
//!
//! A simulated server (a file, and a request/answer socket service),
//! simulated connections (descriptors sharing descriptions, each on one
//! incarnation of the server), a simulated clock and a seeded random number
//! generator drive `ha_cover_engine` through a fourth front end written to
//! behave as the sync cover, the tokio cover or the C ABI does
//! (`tests/sim/frontend.rs`, `drive.rs`; a flavor per seed, `setup.rs`). Each seed draws a setup (file, append-only
//! file or socket; one to four members;
//! limits, deadline, backoff, write policy, recovery function; how often the
//! server dies, flaps, crash-loops, or a request poisons its connection) and a
//! schedule: one random number per step, which picks the member that steps
//! (or the world, which kills, resets, crash-loops) and everything that step
//! does. After every step the invariants are checked (`tests/sim/checks.rs`,
//! `oracle.rs`); a seed that fails prints itself and the shortest schedule
//! that still fails, with its trace.
//!
//! ```text
//! cargo test --release -p ha-cover --test simulation -- --nocapture
//! ```
//!
//! prints `simulation: seeds=<n> steps=<m> violations=<v>` last, and passes
//! only with no violation. Environment:
//! - `HA_SIM_SEED=<n>`: run seed `n` alone (and print its trace with
//!   `HA_SIM_TRACE=1`);
//! - `HA_SIM_STEPS=<n>`: about `n` steps in all, the drains not counted
//!   (default 5,000,000 in a release build, 200,000 in a debug one, so that
//!   `cargo test --workspace` stays quick); with `HA_SIM_SEED`, the steps of
//!   that seed's schedule;
//! - `HA_SIM_BASE=<n>`: start from seed `n` (default 0), to explore others.

mod sim;

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sim::harness::{self, Report};
use sim::setup::Setup;
use sim::shrink::shrink;

/// Steps of one seed's schedule (the drain comes on top).
const STEPS_PER_SEED: usize = 2_000;

fn env(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    Some(
        value
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value} is not a number")),
    )
}

fn default_steps() -> u64 {
    if cfg!(debug_assertions) {
        200_000
    } else {
        5_000_000
    }
}

#[test]
fn simulation() {
    let started = Instant::now();
    let (seeds, per_seed): (Vec<u64>, usize) = match env("HA_SIM_SEED") {
        Some(seed) => (
            vec![seed],
            env("HA_SIM_STEPS").map_or(STEPS_PER_SEED, |n| n as usize),
        ),
        None => {
            let total = env("HA_SIM_STEPS").unwrap_or_else(default_steps);
            let base = env("HA_SIM_BASE").unwrap_or(0);
            let n = total.div_ceil(STEPS_PER_SEED as u64).max(1);
            ((base..base + n).collect(), STEPS_PER_SEED)
        }
    };
    let trace = env("HA_SIM_TRACE").is_some_and(|t| t != 0) && seeds.len() == 1;
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(u64, Report)>> = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(2);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&seed) = seeds.get(i) else { break };
                    let setup = Setup::from_seed(seed);
                    let report = harness::run(&setup, &harness::schedule(seed, per_seed), trace);
                    results.lock().unwrap().push((seed, report));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(seed, _)| *seed);
    let ran = started.elapsed();

    let steps: u64 = results.iter().map(|(_, r)| r.steps).sum();
    let failed: Vec<&(u64, Report)> = results
        .iter()
        .filter(|(_, r)| r.violation.is_some())
        .collect();
    summarize(&results);
    if trace {
        for line in &results[0].1.trace {
            println!("{line}");
        }
    }
    for (seed, report) in &failed {
        let v = report.violation.as_ref().expect("failed");
        println!("simulation: seed {seed} fails: {}: {}", v.kind, v.detail);
    }
    for (seed, report) in failed.iter().take(3) {
        explain(*seed, per_seed, report);
    }
    println!(
        "simulation: {:?} ({} thread(s)), {:.0} steps/s",
        ran,
        threads,
        steps as f64 / ran.as_secs_f64()
    );
    println!(
        "simulation: seeds={} steps={} violations={}",
        results.len(),
        steps,
        failed.len()
    );
    assert!(failed.is_empty(), "{} seed(s) failed", failed.len());
}

fn summarize(results: &[(u64, Report)]) {
    let mut t = sim::tally::Tally::default();
    let (mut deaths, mut crashes, mut failures, mut gave_up) = (0, 0, 0, 0);
    let mut reasons = [0; 8];
    for (_, r) in results {
        for (sum, n) in reasons.iter_mut().zip(r.reasons) {
            *sum += n;
        }
        deaths += r.deaths;
        crashes += r.crashes;
        failures += r.stats.failures;
        gave_up += r.stats.gave_up;
        t.attempts += r.tally.attempts;
        t.installs += r.tally.installs;
        t.indeterminate += r.tally.indeterminate;
        t.replays += r.tally.replays;
        t.ambiguous_appends += r.tally.ambiguous_appends;
        t.ops_ok += r.tally.ops_ok;
        t.ops_failed += r.tally.ops_failed;
        t.exchanges_answered += r.tally.exchanges_answered;
        t.exchanges_failed += r.tally.exchanges_failed;
    }
    println!(
        "simulation: {deaths} deaths, {crashes} crash-loop crashes; {failures} failures: {} recoveries, {gave_up} gave up; {} attempts, {} replays, {} indeterminate, {} ambiguous appends",
        t.installs, t.attempts, t.replays, t.indeterminate, t.ambiguous_appends
    );
    let [
        suspended,
        recursive,
        total,
        attempts,
        deadline,
        cancelled,
        panicked,
        function,
    ] = reasons;
    println!(
        "simulation: gave up: {suspended} suspended, {total} total limit, {attempts} attempts, {deadline} deadline, {panicked} panicked, {function} by the function ({recursive} recursive, {cancelled} cancelled)"
    );
    println!(
        "simulation: {} operations returned, {} of them errors; {} requests answered, {} failed",
        t.ops_ok + t.ops_failed,
        t.ops_failed,
        t.exchanges_answered,
        t.exchanges_failed
    );
}

/// Prints a failed seed, and the shortest schedule that fails the same way.
fn explain(seed: u64, per_seed: usize, report: &Report) {
    let violation = report.violation.as_ref().expect("failed");
    println!(
        "simulation: seed {seed} FAILS: {}: {}",
        violation.kind, violation.detail
    );
    println!(
        "simulation: replay it with HA_SIM_SEED={seed} HA_SIM_STEPS={per_seed} HA_SIM_TRACE=1"
    );
    let setup = Setup::from_seed(seed);
    println!("simulation: setup {setup:#?}");
    let schedule = harness::schedule(seed, per_seed);
    let shortest = shrink(&setup, &schedule, report, Duration::from_secs(20));
    let replay = harness::run(&setup, &shortest, true);
    println!(
        "simulation: shortest failing schedule: {} step(s) of {} (trace follows)",
        shortest.len(),
        report.failed_at.map_or(schedule.len(), |at| at + 1)
    );
    let lines = &replay.trace;
    let skip = lines.len().saturating_sub(400);
    if skip > 0 {
        println!("  ... {skip} earlier line(s)");
    }
    for line in &lines[skip..] {
        println!("  {line}");
    }
}
