//! One run: a setup, a schedule (one random number per step), the drain that
//! lets every member finish once the faults stop, and what came of it.

use std::panic::AssertUnwindSafe;

use ha_cover_engine::Stats;

use super::rng::Rng;
use super::setup::Setup;
use super::tally::{Tally, Violation};
use super::world::World;

/// Steps the drain may take before members still busy are a violation.
pub const DRAIN_LIMIT: usize = 200_000;

#[derive(Debug)]
pub struct Report {
    /// Steps taken, the drain's included.
    pub steps: u64,
    pub violation: Option<Violation>,
    /// The schedule's step the violation happened at (`None`: in the drain).
    pub failed_at: Option<usize>,
    pub trace: Vec<String>,
    pub tally: Tally,
    pub stats: Stats,
    pub deaths: u64,
    pub crashes: u64,
    /// Give-ups by reason (see `Events::reasons`).
    pub reasons: [u64; 8],
}

/// The schedule of `seed`: `steps` random numbers, one per step.
pub fn schedule(seed: u64, steps: usize) -> Vec<u64> {
    let mut r = Rng::new(seed ^ 0x5C4E_D01E);
    (0..steps).map(|_| r.next()).collect()
}

pub fn run(setup: &Setup, schedule: &[u64], trace: bool) -> Report {
    let mut world = World::new(setup.clone(), trace);
    let mut failed_at = None;
    let mut at = 0;
    // A panic (the engine's assertions, or the simulation's) is a violation
    // of the step it happened in, shrunk and replayed like any other.
    let ran = std::panic::catch_unwind(AssertUnwindSafe(|| {
        for (i, &choice) in schedule.iter().enumerate() {
            at = i;
            world.step(choice);
            if world.violation.is_some() {
                failed_at = Some(i);
                return;
            }
        }
        at = schedule.len();
        world.drain(setup.seed, DRAIN_LIMIT);
        world.finish();
    }));
    if let Err(payload) = ran {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        failed_at = (at < schedule.len()).then_some(at);
        world.violation = Some(Violation {
            kind: "panic",
            detail: format!("step {}: {message}", world.steps),
        });
    }
    Report {
        steps: world.steps,
        violation: world.violation.take(),
        failed_at,
        trace: world.trace.take().unwrap_or_default(),
        tally: world.tally.clone(),
        stats: world.group.stats().clone(),
        deaths: world.server.deaths,
        crashes: world.server.crashes,
        reasons: std::array::from_fn(|i| {
            world.events.reasons[i].load(std::sync::atomic::Ordering::Relaxed)
        }),
    }
}
