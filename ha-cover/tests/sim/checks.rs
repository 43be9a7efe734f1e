//! The invariants checked after every step: the engine's counters agree with
//! what happened (as the simulation counted it and as the events told it),
//! every descriptor is accounted for, and no operation lasts longer than the
//! policy allows.

use std::time::Duration;

use super::member::State;
use super::server::protocol;
use super::tally::Events;
use super::world::World;

/// Time beyond the policy's bound that scheduling and the steps around the
/// attempts may take.
const SLACK: Duration = Duration::from_secs(2);

impl World {
    pub fn check_step(&mut self) {
        if self.violation.is_some() {
            return;
        }
        self.check_stats();
        self.check_descriptors();
        self.check_liveness();
        self.check_answers();
    }

    /// A read blocked on a live connection whose server has no request to
    /// answer waits for ever: an answer was lost and nobody was told.
    fn check_answers(&mut self) {
        let lost = self.members.iter().enumerate().find_map(|(m, member)| {
            let State::Blocked(task) = &member.state else {
                return None;
            };
            let desc = &self.conns.descs[task.track.last_desc];
            let waits = self.server.alive(desc)
                && desc.outbox.is_empty()
                && protocol::parse(&desc.inbox).is_none();
            waits.then_some(m)
        });
        if let Some(m) = lost {
            self.violation(
                "lost answer",
                format!(
                    "m{m} waits for an answer on a connection whose server has no request to answer: it would wait for ever"
                ),
            );
        }
    }

    pub fn check_stats(&mut self) {
        let s = self.group.stats().clone();
        let flight = u64::from(self.group.is_recovering());
        let t = self.tally.clone();
        let e = &self.events;
        let events = [
            ("Failed", Events::get(&e.failed), s.failures),
            ("Recovered", Events::get(&e.recovered), s.recoveries),
            ("GaveUp", Events::get(&e.gave_up), s.gave_up),
            (
                "Indeterminate",
                Events::get(&e.indeterminate),
                s.indeterminate,
            ),
            (
                "AttemptFailed",
                Events::get(&e.attempt_failed),
                t.attempt_failures,
            ),
        ];
        let checks = [
            (
                s.failures == s.recoveries + s.gave_up + flight,
                "failures == recoveries + gave_up (+ 1 in flight)",
            ),
            (
                s.attempts == t.attempts,
                "attempts == calls of the recovery function",
            ),
            (
                s.recoveries == t.installs,
                "recoveries == connections installed",
            ),
            (
                s.indeterminate == t.indeterminate,
                "indeterminate == Indeterminate results returned",
            ),
        ];
        for (ok, what) in checks {
            if !ok {
                self.violation(
                    "stats",
                    format!("{what} does not hold: stats {s:?}, counted {t:?}"),
                );
                return;
            }
        }
        for (name, sent, expected) in events {
            if sent != expected {
                self.violation(
                    "events",
                    format!("{sent} {name} event(s) for {expected} counted; stats {s:?}"),
                );
                return;
            }
        }
    }

    fn check_descriptors(&mut self) {
        let mut held = 0;
        let mut closed = None;
        let latest = self.ext.latest;
        for fd in self.members.iter().flat_map(|m| m.held()).chain(latest) {
            held += 1;
            if !self.conns.is_open(fd) {
                closed = Some(fd);
            }
        }
        if let Some(fd) = closed {
            self.violation(
                "descriptors",
                format!("descriptor {fd} is used after it was closed"),
            );
        } else if held != self.conns.open_count() {
            let open = self.conns.open_count();
            self.violation(
                "leak",
                format!("{open} descriptors open, {held} held by members and the group"),
            );
        }
    }

    fn check_liveness(&mut self) {
        let Some(bound) = self.setup.failure_bound() else {
            return;
        };
        let now = self.clock.now();
        let deaths_now = self.server.deaths;
        for m in 0..self.members.len() {
            if let State::Run(task) = &self.members[m].state
                && self.holds_back(task)
                && let State::Run(task) = &mut self.members[m].state
            {
                // Not begun yet: it waits for a recovery in flight, which
                // the check bounds on its own; its time starts when it does.
                task.track.began = now;
                task.track.deaths_at_start = deaths_now;
            }
        }
        let mut stuck = None;
        for member in &self.members {
            if let Some(task) = member.task() {
                let deaths = self.server.deaths - task.track.deaths_at_start;
                let allowed = bound * (deaths as u32 + 1) + SLACK;
                let took = now.saturating_duration_since(task.track.began);
                if took > allowed {
                    stuck = Some((task.track.member, task.op.name(), took, deaths, allowed));
                }
            }
        }
        if let Some((m, kind, took, deaths, allowed)) = stuck {
            self.violation(
                "stuck",
                format!(
                    "m{m}'s {kind} has taken {took:?} through {deaths} death(s); the policy allows {allowed:?}"
                ),
            );
        }
    }
}
