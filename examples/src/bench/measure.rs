//! Timing helpers: interleaved A/B rounds, medians, percentiles.

use std::time::{Duration, Instant};

/// Runs `ours` and `baseline` alternately, `rounds` times each, and returns the
/// median time per operation of each, in nanoseconds. Each closure runs one
/// round and returns how many operations it made.
pub fn interleave(
    rounds: usize,
    mut ours: impl FnMut() -> u64,
    mut baseline: impl FnMut() -> u64,
) -> (f64, f64) {
    // One round of each first, untimed, so both start warm.
    ours();
    baseline();
    let (mut a, mut b) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
    for round in 0..rounds {
        // Alternate who goes first, so neither always follows the other.
        if round % 2 == 0 {
            a.push(per_op(&mut ours));
            b.push(per_op(&mut baseline));
        } else {
            b.push(per_op(&mut baseline));
            a.push(per_op(&mut ours));
        }
    }
    (median(&mut a), median(&mut b))
}

fn per_op(round: &mut impl FnMut() -> u64) -> f64 {
    let started = Instant::now();
    let ops = round();
    started.elapsed().as_nanos() as f64 / ops.max(1) as f64
}

/// The median of `values` (sorted in place).
pub fn median(values: &mut [f64]) -> f64 {
    percentile(values, 50.0)
}

/// The `p`th percentile of `values` (sorted in place), nearest rank.
pub fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * values.len() as f64).ceil() as usize;
    values[rank.clamp(1, values.len()) - 1]
}

/// Milliseconds, as a float.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Prints a throughput line: `<name> ours=<ns> baseline=<ns> ratio=<r>`.
pub fn report_ratio(name: &str, (ours, baseline): (f64, f64)) {
    println!(
        "{name} ours={ours:.1}ns baseline={baseline:.1}ns ratio={:.3}",
        ours / baseline
    );
}

/// Prints a latency line: `<name> p50_ms=<v> p99_ms=<v>` (and the sample count).
pub fn report_latency(name: &str, samples_ms: &mut [f64]) -> f64 {
    let p50 = percentile(samples_ms, 50.0);
    let p99 = percentile(samples_ms, 99.0);
    println!(
        "{name} p50_ms={p50:.3} p99_ms={p99:.3} n={}",
        samples_ms.len()
    );
    p50
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let mut v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&mut v, 50.0), 50.0);
        assert_eq!(percentile(&mut v, 99.0), 99.0);
        assert_eq!(percentile(&mut v, 100.0), 100.0);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
    }

    #[test]
    fn interleave_reports_time_per_operation() {
        let (a, b) = interleave(
            3,
            || {
                std::thread::sleep(Duration::from_millis(2));
                2
            },
            || {
                std::thread::sleep(Duration::from_millis(2));
                1
            },
        );
        assert!(
            a < b,
            "two operations per round are faster per operation: {a} {b}"
        );
    }
}
