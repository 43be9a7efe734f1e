//! What a simulated client does with an idle member: an operation of some
//! kind (every kind the covers have), or a control (suspend, enable, limits,
//! a new recovery function), a dup, or leaving the group.

use std::io::SeekFrom;
use std::time::Duration;

use ha_cover_engine::Kind;

use super::member::{Member, State, Task, Track};
use super::ops::Op;
use super::oracle::Exchange;
use super::recovery_fns::RecoveryFn;
use super::server::protocol;
use super::setup::Flavor;
use super::world::World;

const MAX_MEMBERS: usize = 5;

impl World {
    /// What idle member `m` does now.
    pub fn idle(&mut self, m: usize) -> State {
        if self.setup.kind == Kind::Socket
            && let Some(op) = self.exchange_step(m)
        {
            return self.task(m, op);
        }
        if self.scripted {
            return State::Idle;
        }
        if self.draining {
            return self.leave(m);
        }
        let faults = self.setup.faults.clone();
        if self.rng.chance(faults.control) {
            self.control(m);
            return State::Idle;
        }
        if self.rng.chance(faults.replace) {
            self.replace_recovery(m);
            return State::Idle;
        }
        if self.rng.chance(faults.membership) {
            if self.live_members() < MAX_MEMBERS && self.rng.chance(500) {
                self.dup(m);
                self.trace(|| format!("m{m}: dups itself"));
            } else if self.live_members() > 1 && !self.in_exchange(m) {
                return self.leave(m);
            }
            return State::Idle;
        }
        match self.setup.kind {
            Kind::File => {
                let mut op = self.file_op();
                if op.moves_position() && !self.setup.append {
                    match self.app.stream_owner {
                        None => self.app.stream_owner = Some(m),
                        Some(_) => {
                            // Another member's turn with the stream.
                            op = Op::ReadAt {
                                offset: self.rng.below(self.server.file.len() as u64 + 16),
                                len: self.rng.range(1, 64) as usize,
                            };
                        }
                    }
                }
                self.task(m, op)
            }
            _ => State::Idle,
        }
    }

    /// Whether `task` waits: under the C ABI, a call that finds a recovery
    /// in flight as it begins waits for its end (`cover_loop::perform`), so
    /// that it never runs on a connection the recovery function has put
    /// under the number but not yet placed.
    pub fn holds_back(&self, task: &Task) -> bool {
        self.setup.flavor == Flavor::C && !task.track.retransmission && self.group.is_recovering()
    }

    pub fn task(&mut self, m: usize, op: Op) -> State {
        let id = self.app.next_op;
        self.app.next_op += 1;
        let positioned = matches!(op, Op::ReadAt { .. } | Op::WriteAt { .. });
        let track = Track {
            member: m,
            id,
            positioned,
            retransmission: false,
            reported: false,
            checked: false,
            began: self.clock.now(),
            deaths_at_start: self.server.deaths,
            applied: 0,
            first_offset: None,
            last_desc: self.conns.desc_of(self.members[m].conn),
            seen: self.group.epoch(),
            view: None,
        };
        State::Run(Task { op, track })
    }

    fn file_op(&mut self) -> Op {
        let r = &mut self.rng;
        let len = self.server.file.len() as u64;
        let data = |r: &mut super::rng::Rng| {
            let n = r.range(1, 64) as usize;
            r.bytes(n)
        };
        let roll = r.below(100);
        if self.setup.append {
            return match roll {
                0..=49 => Op::Write {
                    data: data(r),
                    vectored: false,
                },
                50..=59 => Op::Write {
                    data: data(r),
                    vectored: true,
                },
                60..=79 => Op::ReadAt {
                    offset: r.below(len + 16),
                    len: r.range(1, 64) as usize,
                },
                // A seek may leave the position away from the end: a failed
                // append's fate is then not read from the size.
                80..=84 => Op::Seek(SeekFrom::Start(r.below(len + 1))),
                // Where an append leaves it (python's open(path, 'a')).
                85..=87 => Op::Seek(SeekFrom::End(0)),
                _ => Op::Sync {
                    data_only: r.chance(500),
                },
            };
        }
        match roll {
            0..=29 => Op::Read {
                len: r.range(1, 64) as usize,
                vectored: roll >= 25,
            },
            30..=49 => Op::Write {
                data: data(r),
                vectored: roll >= 45,
            },
            50..=59 => Op::ReadAt {
                offset: r.below(len + 16),
                len: r.range(1, 64) as usize,
            },
            60..=69 => Op::WriteAt {
                offset: r.below(len + 16),
                data: data(r),
            },
            70..=89 => Op::Seek(match r.below(3) {
                0 => SeekFrom::Start(r.below(len + 16)),
                1 => {
                    let back = self.app.logical.min(64) as i64;
                    SeekFrom::Current(r.range(0, back as u64 + 64) as i64 - back)
                }
                _ => SeekFrom::End(-(r.below(len.min(128) + 1) as i64)),
            }),
            _ => Op::Sync {
                data_only: r.chance(500),
            },
        }
    }

    /// The next socket operation of member `m`'s part in the exchange, if it
    /// has one.
    fn exchange_step(&mut self, m: usize) -> Option<Op> {
        let r = &mut self.rng;
        match &self.app.exchange {
            Exchange::Idle if !self.draining && !self.scripted && r.chance(600) => {
                let id = self.app.next_request;
                self.app.next_request += 1;
                let n = r.range(0, 40) as usize;
                let payload = r.bytes(n);
                let poison = r.chance(self.setup.faults.poison);
                let request = protocol::request(id, &payload, poison);
                let member = m;
                self.trace(|| {
                    format!(
                        "m{member}: request {id}{}",
                        if poison { " (poison)" } else { "" }
                    )
                });
                self.app.exchange = Exchange::Writing {
                    id,
                    request,
                    sent: 0,
                    by: m,
                };
                self.exchange_step(m)
            }
            Exchange::Writing {
                request, sent, by, ..
            } if *by == m => {
                let rest = &request[*sent..];
                // The client writes the rest in one call (the kernel may take
                // less), or in two. Under `Always` a request is one write, which
                // the kernel takes whole: the policy sends a failed write again
                // alone, which is right only for a write that is a whole
                // message (an idempotent protocol's).
                let always = self.setup.policy.write_policy == ha_cover_engine::WritePolicy::Always;
                let take = if rest.len() > 1 && !always && r.chance(300) {
                    r.range(1, rest.len() as u64 - 1) as usize
                } else {
                    rest.len()
                };
                Some(Op::Send {
                    data: rest[..take].to_vec(),
                    vectored: r.chance(300),
                })
            }
            Exchange::Reading { got, by, .. } if *by == m => Some(Op::Recv {
                len: if r.chance(500) {
                    protocol::ANSWER - got.len()
                } else {
                    r.range(1, 64) as usize
                },
                vectored: r.chance(300),
            }),
            _ => None,
        }
    }

    fn in_exchange(&self, m: usize) -> bool {
        match self.app.exchange {
            Exchange::Writing { by, .. } | Exchange::Reading { by, .. } => by == m,
            Exchange::Idle => false,
        }
    }

    fn control(&mut self, m: usize) {
        let r = &mut self.rng;
        let policy = &self.setup.policy;
        let what = r.below(7);
        let done = match what {
            0 if !self.group.is_suspended() && r.chance(300) => {
                self.group.suspend();
                "suspends recovery"
            }
            0 | 1 if self.group.is_suspended() => {
                self.group.enable();
                "enables recovery"
            }
            2 if policy.attempts.is_some() => {
                let most = policy.attempts.unwrap_or(1);
                self.group
                    .set_attempt_limit(Some(r.range(1, u64::from(most)) as u32));
                "sets the attempt limit"
            }
            3 if policy.deadline.is_some() => {
                let most = policy.deadline.unwrap_or_default();
                let nanos = u64::try_from(most.as_nanos()).unwrap_or(u64::MAX);
                self.group
                    .set_deadline(Some(Duration::from_nanos(r.range(nanos / 10, nanos))));
                "sets the deadline"
            }
            4 => {
                let used = self.group.stats().recoveries as u32;
                let limit = r.chance(500).then(|| used + r.range(1, 20) as u32);
                self.group.set_total_limit(limit);
                "sets the total limit"
            }
            5 => {
                self.group.reset_attempts();
                "resets the attempts"
            }
            6 => {
                self.group.reset_total();
                "resets the total"
            }
            _ => return,
        };
        self.trace(|| format!("m{m}: {done}"));
    }

    /// What a client does about an error: as QNX's do, it may reset the
    /// limits that ended recovery (they stay used up until then) or enable a
    /// suspended recovery again.
    pub fn after_error(&mut self, m: usize) {
        let r = &mut self.rng;
        let done = if !matches!(
            self.ext.recovery,
            RecoveryFn::Reopen | RecoveryFn::Flaky { .. }
        ) && r.chance(500)
        {
            self.ext.recovery = RecoveryFn::Reopen;
            "gives the group back its usual recovery function"
        } else if r.chance(500) {
            self.group.reset_attempts();
            "resets the attempts"
        } else if r.chance(200) {
            self.group.reset_total();
            "resets the total"
        } else if self.group.is_suspended() && r.chance(300) {
            self.group.enable();
            "enables recovery"
        } else {
            return;
        };
        self.trace(|| format!("m{m}: after the error, {done}"));
    }

    fn replace_recovery(&mut self, m: usize) {
        let r = &mut self.rng;
        let recovery = if self.ext.recovery != RecoveryFn::Reopen && r.chance(600) {
            RecoveryFn::Reopen
        } else {
            *r.pick(&[
                RecoveryFn::Reopen,
                if self.setup.kind == Kind::File && !self.setup.append {
                    RecoveryFn::ReopenNoSeek
                } else {
                    RecoveryFn::Reopen
                },
                RecoveryFn::Flaky { failures: 2 },
                RecoveryFn::GiveUp,
                // A C recovery function cannot panic.
                if self.setup.flavor == Flavor::C {
                    RecoveryFn::GiveUp
                } else {
                    RecoveryFn::Panic
                },
                RecoveryFn::Unchanged,
                RecoveryFn::Dead,
                RecoveryFn::Dead,
                RecoveryFn::Recursive,
            ])
        };
        self.ext.recovery = recovery;
        self.trace(|| format!("m{m}: replaces the recovery function: {recovery:?}"));
    }

    /// Member `m` dups itself (`Cover::dup`).
    pub fn dup(&mut self, m: usize) {
        let conn = self.conns.dup(self.members[m].conn);
        let view = self.members[m].view;
        self.ext.shared = true;
        if view.generation() != self.group.generation() && self.ext.latest.is_some() {
            self.ext.behind += 1;
        }
        self.members.push(Member {
            actor: false,
            view,
            conn,
            retired: None,
            state: State::Idle,
        });
    }

    /// Member `m` is dropped.
    pub fn leave(&mut self, m: usize) -> State {
        let member = &mut self.members[m];
        if self.ext.shared && self.setup.flavor == Flavor::Sync {
            let behind = member.view.generation() != self.group.generation();
            self.ext.member_left(&mut self.conns, behind);
        }
        self.conns.close(member.conn);
        if let Some(retired) = member.retired.take() {
            self.conns.close(retired);
        }
        self.trace(|| format!("m{m}: leaves"));
        State::Gone
    }
}
