//! Scripted runs for the pinned scenarios: a quiet world (no random faults),
//! members that do only what the test tells them, and the test's own script
//! of deaths.

use std::time::{Duration, Instant};

use ha_cover_engine::{Kind, Policy};

use super::member::State;
use super::ops::Op;
use super::recovery_fns::RecoveryFn;
use super::rng::Rng;
use super::setup::{Faults, Flavor, Setup};
use super::tally::Call;
use super::world::World;

pub struct Scenario {
    pub world: World,
    rng: Rng,
}

/// A setup with no random faults: the scenario says what goes wrong.
pub fn quiet(kind: Kind, members: usize, policy: Policy) -> Setup {
    Setup {
        seed: 1,
        flavor: Flavor::Sync,
        kind,
        append: false,
        members,
        policy,
        watchable: true,
        recovery: RecoveryFn::Reopen,
        faults: Faults::default(),
        file_len: 4096,
        local_seeks: false,
        pace: 1,
    }
}

impl Scenario {
    pub fn new(setup: Setup) -> Self {
        let trace = std::env::var_os("HA_SIM_TRACE").is_some();
        let mut world = World::new(setup, trace);
        world.scripted = true;
        Self {
            world,
            rng: Rng::new(0x5CE7_A210),
        }
    }

    pub fn now(&self) -> Instant {
        self.world.clock.now()
    }

    /// The server dies and is back after `downtime`.
    pub fn kill(&mut self, downtime: Duration) {
        let w = &mut self.world;
        w.server.kill(w.clock.now() + downtime);
        w.server.deaths += 1;
        w.trace(|| format!("script: the server dies, back in {downtime:?}"));
    }

    /// Every connection opened from now on kills the server at its first
    /// request, and a supervisor restarts it at once, for `period`.
    pub fn crash_loop(&mut self, period: Duration) {
        let until = self.now() + period;
        self.world.server.crash_loop_until = Some(until);
    }

    /// Member `m` calls `op` (it must be idle).
    pub fn issue(&mut self, m: usize, op: Op) {
        assert!(matches!(self.world.members[m].state, State::Idle));
        let task = self.world.task(m, op);
        self.world.members[m].state = task;
    }

    pub fn is_idle(&self, m: usize) -> bool {
        matches!(self.world.members[m].state, State::Idle)
    }

    /// One step; panics on a violation, with the trace when there is one.
    pub fn step(&mut self) {
        let choice = self.rng.next();
        self.world.step(choice);
        if let Some(v) = &self.world.violation {
            if let Some(trace) = &self.world.trace {
                for line in trace {
                    println!("{line}");
                }
            }
            panic!("{}: {}", v.kind, v.detail);
        }
    }

    /// One step of member `m` alone (the scheduler's choice, forced).
    pub fn step_only(&mut self, m: usize) {
        self.world.clock.advance(Duration::from_micros(10));
        self.world.server.tick(self.world.clock.now());
        while !self.world.is_runnable(m) {
            let at = self.world.next_event().expect("something to wait for");
            self.world.clock.advance_to(at);
            self.world.server.tick(self.world.clock.now());
        }
        self.world.step_member(m);
        self.world.group.take_events().deliver();
        self.world.check_step();
        if let Some(v) = &self.world.violation {
            self.print_trace();
            panic!("{}: {}", v.kind, v.detail);
        }
    }

    /// Steps until member `m` is idle again; what its call returned.
    pub fn until_returned(&mut self, m: usize, max_steps: usize) -> Call {
        for _ in 0..max_steps {
            if self.is_idle(m) {
                return self
                    .world
                    .returned
                    .iter()
                    .rev()
                    .find(|c| c.member == m)
                    .cloned()
                    .expect("a call returned");
            }
            self.step();
        }
        panic!(
            "m{m} still busy after {max_steps} steps, {:?} into the scenario",
            self.world.clock.elapsed()
        );
    }

    /// `m` calls `op` and waits for it to return.
    pub fn call(&mut self, m: usize, op: Op, max_steps: usize) -> Call {
        self.issue(m, op);
        self.until_returned(m, max_steps)
    }

    /// Prints the trace, when `HA_SIM_TRACE` asked for one.
    pub fn print_trace(&self) {
        for line in self.world.trace.iter().flatten() {
            println!("{line}");
        }
    }

    /// Every member leaves; the checks that end a run (leaks, stats) hold.
    pub fn end(mut self) -> World {
        for m in 0..self.world.members.len() {
            if !self.world.members[m].is_gone() {
                assert!(self.is_idle(m), "m{m} is still busy");
                let gone = self.world.leave(m);
                self.world.members[m].state = gone;
            }
        }
        self.world.finish();
        if let Some(v) = &self.world.violation {
            panic!("{}: {}", v.kind, v.detail);
        }
        self.world
    }
}

/// A sequential read of `len` bytes.
pub fn read(len: usize) -> Op {
    Op::Read {
        len,
        vectored: false,
    }
}
