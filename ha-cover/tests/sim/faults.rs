//! The world's faults: a step of the world kills the server, resets the
//! group's connection, or starts a crash loop; a server that dies stays down
//! for a downtime drawn from the setup.

use std::time::Duration;

use ha_cover_engine::Kind;

use super::member::{Drive, State};
use super::setup::Flavor;
use super::world::World;

impl World {
    /// A fault with this chance, per mille; none once the faults stopped
    /// (the drain).
    pub fn fault(&mut self, per_mille: u32) -> bool {
        !self.draining && self.rng.chance(per_mille)
    }

    pub fn world_action(&mut self) {
        let faults = self.setup.faults.clone();
        let roll = self.rng.below(1000) as u32;
        if roll < faults.kill {
            if self.server.up {
                self.kill_server("killed");
            }
        } else if roll < faults.kill + faults.reset {
            let d = self.app.current_desc;
            if self.server.alive(&self.conns.descs[d]) {
                self.conns.descs[d].killed = true;
                self.server.deaths += 1;
                self.trace(|| "world: the connection is reset".into());
            }
        } else if roll < faults.kill + faults.reset + faults.abandon
            && self.setup.flavor == Flavor::Async
        {
            self.shut_runtime_down();
        } else if roll < faults.kill + faults.reset + faults.abandon + faults.crash_loop {
            let until = self.clock.now() + Duration::from_millis(self.rng.range(5, 1000));
            self.server.crash_loop_until = Some(until);
            self.trace(|| "server: starts crash-looping".into());
        } else if self.setup.kind == Kind::Socket {
            self.serve();
        }
    }

    /// The server dies; a supervisor restarts it after a downtime.
    pub fn kill_server(&mut self, why: &str) {
        let downtime = self.downtime();
        self.server.kill(self.clock.now() + downtime);
        self.server.deaths += 1;
        let why = why.to_owned();
        self.trace(|| format!("server: dies ({why}), back in {downtime:?}"));
    }

    fn downtime(&mut self) -> Duration {
        let r = &mut self.rng;
        if self.setup.faults.flapping && r.chance(800) {
            return Duration::from_micros(r.range(0, 3000));
        }
        if r.chance(self.setup.faults.long_downtime) {
            let longest = self
                .setup
                .policy
                .deadline
                .unwrap_or(Duration::from_secs(1))
                .min(Duration::from_secs(40));
            return longest.mul_f64(1.0 + r.below(100) as f64 / 100.0);
        }
        match r.below(10) {
            0..=2 => Duration::ZERO,
            3..=6 => Duration::from_micros(r.range(100, 5000)),
            7 | 8 => Duration::from_millis(r.range(5, 200)),
            _ => Duration::from_millis(r.range(200, 2000)),
        }
    }

    /// The runtime shuts down: its recovery task is dropped, which abandons
    /// the recovery (`Lease`'s drop): counted as one that gave up, cancelled.
    fn shut_runtime_down(&mut self) {
        let Some(m) =
            (0..self.members.len()).find(|&m| matches!(self.members[m].state, State::Task(..)))
        else {
            return;
        };
        let State::Task(_, drive) = std::mem::replace(&mut self.members[m].state, State::Gone)
        else {
            unreachable!("found")
        };
        let Drive {
            recovery, fresh, ..
        } = *drive;
        recovery.abandon(&mut self.group, self.clock.now());
        for fd in fresh.into_iter().chain([self.members[m].conn]) {
            self.conns.close(fd);
        }
        self.trace(|| format!("world: the runtime shuts down; recovery task m{m} is dropped"));
    }
}
