//! Simulated time: a base `Instant` plus simulated nanoseconds. The engine is
//! given these instants and never reads a clock, so a run takes no real time
//! to wait out a backoff or a deadline.

use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct Clock {
    base: Instant,
    nanos: u64,
}

impl Clock {
    pub fn new() -> Self {
        Self {
            base: Instant::now(),
            nanos: 0,
        }
    }

    pub fn now(&self) -> Instant {
        self.base + Duration::from_nanos(self.nanos)
    }

    /// Simulated time since the start, for traces.
    pub fn elapsed(&self) -> Duration {
        Duration::from_nanos(self.nanos)
    }

    pub fn advance(&mut self, by: Duration) {
        self.nanos += u64::try_from(by.as_nanos()).unwrap_or(u64::MAX / 4);
    }

    pub fn advance_to(&mut self, at: Instant) {
        if at > self.now() {
            self.advance(at - self.now());
        }
    }
}
