//! The shortest schedule that fails: replay the seed with a prefix of its
//! schedule (up to the step that failed), then drop steps, halves first, then
//! smaller and smaller chunks, as long as the run still fails the same way.

use std::time::{Duration, Instant};

use super::harness::{Report, run};
use super::setup::Setup;

pub fn shrink(setup: &Setup, schedule: &[u64], report: &Report, budget: Duration) -> Vec<u64> {
    let kind = report.violation.as_ref().expect("a failed run").kind;
    let fails = |candidate: &[u64]| {
        let report = run(setup, candidate, false);
        match report.violation {
            Some(v) if v.kind == kind => Some(report.failed_at),
            _ => None,
        }
    };
    let trim = |mut s: Vec<u64>, at: Option<usize>| {
        if let Some(at) = at {
            s.truncate(at + 1);
        }
        s
    };
    let mut best = trim(schedule.to_vec(), report.failed_at);
    let started = Instant::now();
    let mut chunk = best.len().div_ceil(2);
    while chunk > 0 && started.elapsed() < budget {
        let mut i = 0;
        while i < best.len() && started.elapsed() < budget {
            let mut candidate = best.clone();
            candidate.drain(i..(i + chunk).min(best.len()));
            match fails(&candidate) {
                Some(at) => best = trim(candidate, at),
                None => i += chunk,
            }
        }
        chunk /= 2;
    }
    best
}
