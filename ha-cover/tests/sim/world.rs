//! The simulated world of one run: the server, the connections, the clock, the
//! group and its members, and the scheduler that steps them one at a time as
//! each step's random number says, with the faults the setup asks for.

use std::sync::Arc;
use std::time::{Duration, Instant};

use ha_cover_engine::{Config, Event, EventSink, Group, Kind};

use super::clock::Clock;
use super::conns::Conns;
use super::member::{Ext, Member, State};
use super::oracle::App;
use super::rng::Rng;
use super::server::Server;
use super::setup::{Flavor, Setup};
use super::tally::{Call, Events, Tally, Violation};

pub struct World {
    pub setup: Setup,
    pub clock: Clock,
    /// This step's randomness.
    pub rng: Rng,
    pub server: Server,
    pub conns: Conns,
    /// Descriptions before this one belong to dead incarnations.
    pub live_from: usize,
    pub group: Group,
    pub ext: Ext,
    pub members: Vec<Member>,
    pub app: App,
    pub tally: Tally,
    pub events: Arc<Events>,
    pub trace: Option<Vec<String>>,
    pub violation: Option<Violation>,
    pub steps: u64,
    pub draining: bool,
    /// Idle members do nothing of their own (a pinned scenario drives them).
    pub scripted: bool,
    /// What each member's operations returned, in a scripted run.
    pub returned: Vec<Call>,
    /// A recovery left a failure for the cycles of operations sent again on
    /// its connection to go on with.
    pub carry_open: bool,
    /// A flapping server's next death.
    flap_at: Option<Instant>,
    restarts_seen: u64,
    runnable: Vec<usize>,
}

impl World {
    pub fn new(setup: Setup, trace: bool) -> Self {
        let mut r = Rng::new(setup.seed ^ 0xF11E);
        let clock = Clock::new();
        let server = Server::new(r.bytes(setup.file_len));
        let mut conns = Conns::default();
        let mut description = server.accept(clock.now()).expect("up at first");
        if setup.append {
            // An append-mode cover starts at the end of its file.
            description.pos = setup.file_len as u64;
        }
        let first = conns.open(description);
        let events = Arc::new(Events::default());
        let sink: EventSink = {
            let events = Arc::clone(&events);
            Arc::new(move |event: &Event<'_>| events.count(event))
        };
        let group = Group::new(Config {
            kind: setup.kind,
            append: setup.append,
            policy: setup.policy.clone(),
            sink: Some(sink),
            seed: setup.seed.wrapping_mul(0x2545_F491_4F6C_DD1D),
            name: None,
            target: ha_cover_engine::Target::Unknown,
        });
        let member = Member {
            actor: false,
            view: group.member(),
            conn: first,
            retired: None,
            state: State::Idle,
        };
        let mut world = Self {
            clock,
            rng: r,
            server,
            conns,
            live_from: 0,
            app: App::new(0),
            group,
            ext: Ext {
                latest: None,
                behind: 0,
                dead: None,
                recovery: setup.recovery,
                // Every async cover keeps its group shared, even alone.
                shared: setup.flavor == Flavor::Async,
            },
            members: vec![member],
            tally: Tally::default(),
            events,
            trace: trace.then(Vec::new),
            violation: None,
            steps: 0,
            draining: false,
            scripted: false,
            returned: Vec::new(),
            carry_open: false,
            flap_at: None,
            restarts_seen: 0,
            runnable: Vec::new(),
            setup,
        };
        world.app.logical = world.conns.desc(first).pos;
        for _ in 1..world.setup.members {
            world.dup(0);
        }
        world
    }

    /// Records the first violation of the run.
    pub fn violation(&mut self, kind: &'static str, detail: String) {
        if self.violation.is_none() {
            let detail = format!(
                "step {} at {:?}: {detail}",
                self.steps,
                self.clock.elapsed()
            );
            self.trace(|| format!("VIOLATION {kind}: {detail}"));
            self.violation = Some(Violation { kind, detail });
        }
    }

    pub fn trace(&mut self, line: impl FnOnce() -> String) {
        if let Some(trace) = &mut self.trace {
            let at = self.clock.elapsed();
            trace.push(format!(
                "{:>6} {:>9.3}ms  {}",
                self.steps,
                at.as_secs_f64() * 1000.0,
                line()
            ));
        }
    }

    /// The covers of the group (a recovery task is not one).
    pub fn live_members(&self) -> usize {
        self.members
            .iter()
            .filter(|m| !m.is_gone() && !m.actor)
            .count()
    }

    /// Whether anything is still under way: a cover, or a recovery task.
    pub fn busy(&self) -> bool {
        self.members.iter().any(|m| !m.is_gone())
    }

    /// One step, as `choice` says.
    pub fn step(&mut self, choice: u64) {
        self.rng = Rng::new(choice);
        self.steps += 1;
        let dt = match self.rng.below(100) {
            0..=79 => Duration::from_nanos(self.rng.below(100_000)),
            80..=97 => Duration::from_micros(self.rng.range(100, 2000)),
            _ => Duration::from_micros(self.rng.range(2000, 20_000)),
        };
        self.clock.advance(dt / self.setup.pace);
        self.tick();
        if self.setup.kind == Kind::Socket && self.rng.chance(300) {
            self.serve();
        }
        let mut runnable = std::mem::take(&mut self.runnable);
        runnable.clear();
        runnable.extend((0..self.members.len()).filter(|&m| self.is_runnable(m)));
        if !self.draining && self.rng.chance(self.setup.faults.world) {
            self.world_action();
        } else if !runnable.is_empty() {
            let m = runnable[self.rng.below(runnable.len() as u64) as usize];
            self.step_member(m);
        } else if self.has_work() {
            self.serve();
        } else if let Some(at) = self.next_event() {
            self.clock.advance_to(at);
            self.tick();
        } else if self.busy() {
            let states = self.describe_members();
            self.violation(
                "stuck",
                format!("nothing can happen any more, and members are still busy: {states}"),
            );
        }
        self.runnable = runnable;
        // The events the step recorded are told once no lock is held (the
        // end of each of a front end's uses of its group).
        self.group.take_events().deliver();
        self.check_step();
    }

    fn tick(&mut self) {
        let now = self.clock.now();
        self.server.tick(now);
        if self.server.restarts != self.restarts_seen {
            self.restarts_seen = self.server.restarts;
            self.trace(|| "server: back".into());
            if self.setup.faults.flapping && !self.draining && self.rng.chance(700) {
                self.flap_at = Some(now + Duration::from_micros(self.rng.range(500, 50_000)));
            }
        }
        if let Some(at) = self.flap_at
            && at <= now
        {
            self.flap_at = None;
            if self.server.up && !self.draining {
                self.kill_server("flapping");
            }
        }
    }

    pub fn is_runnable(&self, m: usize) -> bool {
        let member = &self.members[m];
        let locked = |op: &super::ops::Op| {
            self.setup.kind == Kind::File
                && op.moves_position()
                && self.conns.desc(member.conn).busy
        };
        match &member.state {
            State::Idle | State::Running(..) | State::Settle(..) => true,
            // A held-back call waits for the recovery to end: it is stepped
            // once it has (and then begins).
            State::Run(task) | State::Again(task) => !locked(&task.op) && !self.holds_back(task),
            State::Blocked(task) => self.recv_ready(task.track.last_desc),
            State::Waiting(task, _) => {
                let seen = task.track.view.unwrap_or(member.view).seen_epoch();
                !(self.group.epoch() == seen && self.group.is_recovering())
            }
            State::Recovering(_, _, drive) | State::Task(_, drive) => self.sleeper_ready(drive),
            State::Pause(until) => self.clock.now() >= *until,
            State::Gone => false,
        }
    }

    /// When something will be able to happen, with nothing runnable now.
    pub fn next_event(&self) -> Option<Instant> {
        let sleepers = self.members.iter().filter_map(|m| match &m.state {
            State::Recovering(_, _, drive) | State::Task(_, drive) => drive.sleep_until,
            State::Pause(until) => Some(*until),
            _ => None,
        });
        sleepers
            .chain(self.server.restart_at)
            .chain(self.flap_at)
            .min()
    }

    fn describe_members(&self) -> String {
        let states: Vec<String> = self
            .members
            .iter()
            .enumerate()
            .filter(|(_, m)| !m.is_gone())
            .map(|(i, m)| {
                let state = match &m.state {
                    State::Idle | State::Pause(_) => "idle".to_owned(),
                    State::Run(t) | State::Again(t) => format!("to run {}", t.op.name()),
                    State::Running(t, _) => format!("running {}", t.op.name()),
                    State::Blocked(_) => "reading, blocked".to_owned(),
                    State::Settle(..) => "settling".to_owned(),
                    State::Waiting(..) => "waiting for a recovery".to_owned(),
                    State::Recovering(..) => "recovering".to_owned(),
                    State::Task(..) => "a recovery task".to_owned(),
                    State::Gone => unreachable!(),
                };
                format!("m{i} {state}")
            })
            .collect();
        states.join(", ")
    }

    /// Stops the faults; every member finishes what it does and leaves.
    pub fn drain(&mut self, seed: u64, limit: usize) {
        self.draining = true;
        self.server.crash_loop_until = None;
        self.flap_at = None;
        let mut r = Rng::new(seed ^ 0xD7A1_D7A1);
        for _ in 0..limit {
            if self.violation.is_some() || !self.busy() {
                break;
            }
            self.step(r.next());
        }
        if self.violation.is_none() && self.busy() {
            let states = self.describe_members();
            self.violation(
                "stuck",
                format!("members still busy {limit} steps after the faults stopped: {states}"),
            );
        }
    }

    /// The group is gone with its last member: what it kept is closed.
    pub fn finish(&mut self) {
        if self.violation.is_some() {
            return;
        }
        if let Some(latest) = self.ext.latest.take() {
            self.conns.close(latest);
        }
        self.group.take_events().deliver();
        if self.conns.open_count() != 0 {
            let open = self.conns.open_count();
            self.violation(
                "leak",
                format!("{open} descriptor(s) still open after every member was dropped"),
            );
        }
        self.check_stats();
    }
}
