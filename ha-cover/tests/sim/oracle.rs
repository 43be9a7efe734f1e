//! What the client expects of its connection, and the invariants about data:
//! the bytes read are the file's at the stream's position (nothing lost,
//! nothing repeated); a write is applied twice only where the policy allows;
//! every request is answered, or its caller told it failed.
//!
//! The stream position: members that share it take turns with it, as threads
//! sharing a stream must to know where they read or write (an app lock held
//! from the call to its return); positioned operations and syncs run at any
//! time. Without the turns, a write that failed after it partly landed can be
//! sent again after another member moved the shared position (its Resend was
//! decided when the position was still kept), which writes it twice: the
//! engine cannot see a move made after it decided.
//!
//! Concurrent appends: the appends that failed with one connection (under way
//! when it died, or begun on it after) cannot be told apart by the file's
//! growth; the engine credits it to the first member that asks (`Landed`)
//! and reports the others Indeterminate. The rule checked here: no append is
//! ever written twice, at most one is credited per recovery, and a credit
//! that went to the wrong write is counted (`ambiguous_appends`), not failed,
//! when another member's append landed through the connection that recovery
//! replaced without its writer being told (under the C ABI, an append begun
//! on the connection a recovery function put in place before the recovery
//! ended is decided with the facts of the death before: it joins that
//! connection's doubt too); in any other case (a sole member's, above all)
//! the credit must be exact.

use std::io::SeekFrom;
use std::time::Duration;

use ha_cover_engine::{Kind, WritePolicy};

use super::conns::Fd;
use super::frontend::Outcome;
use super::member::{State, Task, Track};
use super::ops::Op;
use super::server::protocol;
use super::tally::Call;
use super::world::World;

/// The client's side of the story.
#[derive(Debug)]
pub struct App {
    /// Where the client's stream is in the file (non-append files): every
    /// member shares it, as dups share a position.
    pub logical: u64,
    pub exchange: Exchange,
    pub next_op: u64,
    pub next_request: u32,
    /// The description of the group's connection now.
    pub current_desc: usize,
    /// The member whose turn it is with the stream position.
    pub stream_owner: Option<usize>,
    /// Appends that landed through the connection the latest recovery
    /// replaced without their writers being told: its facts count them.
    pub lost_appends: Vec<u64>,
    /// Appends credited with the latest recovery's growth.
    pub credited: u32,
}

/// The socket protocol: one request at a time, written by one member (in as
/// many writes as the kernel takes), answered to one member.
#[derive(Debug)]
pub enum Exchange {
    Idle,
    Writing {
        id: u32,
        request: Vec<u8>,
        sent: usize,
        by: usize,
    },
    Reading {
        id: u32,
        answer: [u8; protocol::ANSWER],
        got: Vec<u8>,
        by: usize,
    },
}

impl App {
    pub fn new(current_desc: usize) -> Self {
        Self {
            logical: 0,
            exchange: Exchange::Idle,
            next_op: 0,
            next_request: 0,
            current_desc,
            stream_owner: None,
            lost_appends: Vec::new(),
            credited: 0,
        }
    }
}

impl World {
    /// A read was applied at `pos`.
    pub fn app_read_applied(&mut self, track: &Track, pos: u64) {
        if !self.setup.append && pos != self.app.logical {
            let logical = self.app.logical;
            self.violation(
                "read position",
                format!(
                    "m{} reads at {pos} but its stream is at {logical}: bytes {}",
                    track.member,
                    if pos < logical { "repeated" } else { "lost" }
                ),
            );
        }
    }

    /// `n` bytes of a write were applied at `at`.
    pub fn app_write_applied(&mut self, track: &mut Track, at: u64, n: u64) {
        let sequential = !track.positioned;
        if sequential && !self.setup.append {
            if at != self.app.logical {
                let logical = self.app.logical;
                self.violation(
                    "write position",
                    format!(
                        "m{} writes at {at} but its stream is at {logical}",
                        track.member
                    ),
                );
            }
            match track.first_offset {
                Some(first) if n > 0 && first != at => self.violation(
                    "write applied twice",
                    format!(
                        "m{}'s write was applied at {first}, then again at {at}",
                        track.member
                    ),
                ),
                None if n > 0 => track.first_offset = Some(at),
                _ => {}
            }
        }
        if sequential && self.setup.append && n > 0 {
            // Its writer does not know it yet: until the answer arrives, the
            // growth it makes is one a recovery may find.
            self.conns.descs[track.last_desc]
                .lost_appends
                .push(track.id);
        }
        if sequential && self.setup.append && n > 0 && track.applied > 0 {
            self.violation(
                "append applied twice",
                format!(
                    "m{}'s append landed ({} bytes) and was written again",
                    track.member, track.applied
                ),
            );
        }
        track.applied += n;
    }

    /// The answer of an operation the server applied through description
    /// `d` arrived: its writer knows what became of it.
    pub fn app_answered(&mut self, track: &Track, d: usize) {
        if self.setup.append && !track.positioned {
            self.conns.descs[d]
                .lost_appends
                .retain(|&id| id != track.id);
        }
    }

    /// Bytes member `m` read from the socket.
    pub fn app_received(&mut self, m: usize, bytes: &[u8]) {
        match &mut self.app.exchange {
            Exchange::Reading { got, by, .. } if *by == m => got.extend_from_slice(bytes),
            _ => self.violation(
                "unexpected bytes",
                format!(
                    "m{m} read {} byte(s) while it expected no answer",
                    bytes.len()
                ),
            ),
        }
    }

    /// The server ran request `id`, for the `runs`th time.
    pub fn app_request_run(&mut self, id: u32, runs: u32) {
        if runs > 1 && self.setup.policy.write_policy != WritePolicy::Replay {
            let policy = self.setup.policy.write_policy;
            self.violation(
                "request run twice",
                format!("request {id} was run {runs} times under {policy:?}"),
            );
        }
    }

    /// The engine decided to send `task` again.
    pub fn app_resend(&mut self, task: &Task) {
        let member = task.track.member;
        self.trace(|| format!("m{member}: sends its operation again"));
    }

    /// A recovery begins for member `m`.
    pub fn recovery_begins(&mut self, m: usize) {
        self.tally.cycles += 1;
        let d = self.app.current_desc;
        if self.server.alive(&self.conns.descs[d]) {
            self.violation(
                "second recovery",
                format!(
                    "m{m} begins a recovery while the group's connection is alive: a second recovery for one death"
                ),
            );
        }
    }

    /// A recovery that replaced description `replaced` installed `fresh`;
    /// `elsewhere` when its recovery function put it elsewhere than the dead
    /// connection was, and the client knows.
    pub fn installed(&mut self, replaced: usize, fresh: Fd, elsewhere: bool) {
        self.tally.installs += 1;
        self.app.lost_appends = std::mem::take(&mut self.conns.descs[replaced].lost_appends);
        self.app.credited = 0;
        let d = self.conns.desc_of(fresh);
        if elsewhere && !self.setup.append {
            self.app.logical = self.conns.descs[d].pos;
        }
        self.app.current_desc = d;
        if self.server.alive(&self.conns.descs[d]) {
            self.tally.live_installs += 1;
        }
    }

    /// Operation `task` of member `m` returned `outcome`.
    pub fn complete(&mut self, m: usize, task: Task, outcome: Outcome) -> State {
        let member = m;
        self.trace(|| format!("m{member}: {:?} returns {outcome:?}", task.op.name()));
        if self.scripted {
            let result = match &outcome {
                Outcome::Ok(n) | Outcome::Landed(n) => Ok(*n),
                Outcome::Err(e) => Err(e.to_string()),
                Outcome::Eof => Err("end-of-file".to_owned()),
            };
            let took = self.clock.now() - task.track.began;
            self.returned.push(Call {
                member: m,
                seek: matches!(task.op, Op::Seek(_)),
                result,
                took,
            });
        }
        if self.app.stream_owner == Some(m) {
            self.app.stream_owner = None;
        }
        match &outcome {
            Outcome::Ok(_) | Outcome::Landed(_) => self.tally.ops_ok += 1,
            _ => {
                self.tally.ops_failed += 1;
                self.after_error(m);
            }
        }
        let failed = matches!(outcome, Outcome::Err(_) | Outcome::Eof);
        match self.setup.kind {
            Kind::File if self.setup.append => self.appended(m, &task, &outcome),
            Kind::File => self.file_done(m, &task, &outcome),
            _ => self.exchange_done(m, &task, outcome),
        }
        if failed && !self.scripted && self.rng.chance(700) {
            // A client waits a little before it tries again.
            let pause = Duration::from_micros(self.rng.range(100, 50_000));
            return State::Pause(self.clock.now() + pause);
        }
        State::Idle
    }

    fn file_done(&mut self, m: usize, task: &Task, outcome: &Outcome) {
        match (&task.op, outcome) {
            (_, Outcome::Landed(n)) => self.violation(
                "landed",
                format!("m{m}: a write to a file that is not append-only was taken as landed ({n} bytes)"),
            ),
            (Op::Read { .. } | Op::Write { .. }, Outcome::Ok(n)) => self.app.logical += n,
            (Op::Seek(from), Outcome::Ok(p)) => {
                let expected = match *from {
                    SeekFrom::Start(x) => Some(x),
                    SeekFrom::Current(d) => self.app.logical.checked_add_signed(d),
                    SeekFrom::End(_) => Some(*p),
                };
                if expected != Some(*p) {
                    self.violation(
                        "seek",
                        format!("m{m}: {from:?} from {} gave {p}", self.app.logical),
                    );
                }
                self.app.logical = *p;
            }
            _ => {}
        }
    }

    fn appended(&mut self, m: usize, task: &Task, outcome: &Outcome) {
        if let (Op::Write { .. }, Outcome::Landed(_)) = (&task.op, outcome) {
            self.app.credited += 1;
            if self.app.credited > 1 {
                self.violation(
                    "landed",
                    format!("m{m}: a second append is credited with one recovery's growth"),
                );
            }
        }
        if let (Op::Write { .. }, Outcome::Landed(n)) = (&task.op, outcome)
            && task.track.applied != *n
        {
            let own = task.track.id;
            let others = self.app.lost_appends.iter().any(|&id| id != own);
            if others {
                self.tally.ambiguous_appends += 1;
            } else {
                self.violation(
                    "landed",
                    format!(
                        "m{m}'s append was taken as landed with {n} bytes, but {} of it were written",
                        task.track.applied
                    ),
                );
            }
        }
    }

    fn exchange_done(&mut self, m: usize, task: &Task, outcome: Outcome) {
        let n = match outcome {
            Outcome::Ok(n) => n as usize,
            Outcome::Landed(n) => {
                self.violation(
                    "landed",
                    format!("m{m}: a socket write taken as landed ({n})"),
                );
                return;
            }
            // Interrupted (the C ABI returns EINTR as libc does): nothing
            // was sent or read; the client calls again.
            Outcome::Err(e) if e.raw_os_error() == Some(libc::EINTR) => return,
            Outcome::Err(_) | Outcome::Eof => {
                // The caller learns that the exchange failed: it gives it up.
                self.tally.exchanges_failed += 1;
                self.app.exchange = Exchange::Idle;
                return;
            }
        };
        match &mut self.app.exchange {
            Exchange::Writing {
                request, sent, by, ..
            } if *by == m && matches!(task.op, Op::Send { .. }) => {
                *sent += n;
                if *sent == request.len() {
                    let Exchange::Writing { id, request, .. } =
                        std::mem::replace(&mut self.app.exchange, Exchange::Idle)
                    else {
                        unreachable!("matched")
                    };
                    let reader = self.pick_member();
                    self.app.exchange = Exchange::Reading {
                        id,
                        answer: protocol::answer(&request),
                        got: Vec::new(),
                        by: reader,
                    };
                }
            }
            Exchange::Reading {
                id, answer, got, ..
            } if matches!(task.op, Op::Recv { .. }) => {
                if got.len() >= protocol::ANSWER {
                    let (id, right) = (*id, got[..] == answer[..]);
                    let extra = got.len() - protocol::ANSWER;
                    self.app.exchange = Exchange::Idle;
                    self.tally.exchanges_answered += 1;
                    if !right || extra > 0 {
                        self.violation(
                            "wrong answer",
                            format!(
                                "m{m}: the answer to request {id} is another's (or has {extra} byte(s) too many)"
                            ),
                        );
                    }
                }
            }
            exchange => {
                let exchange = format!("{exchange:?}");
                self.violation(
                    "protocol",
                    format!("m{m}: {:?} completed during {exchange}", task.op),
                );
            }
        }
    }

    /// A live member, to read the next answer.
    fn pick_member(&mut self) -> usize {
        let live: Vec<usize> = (0..self.members.len())
            .filter(|&i| !self.members[i].is_gone() && !self.members[i].actor)
            .collect();
        live[self.rng.below(live.len() as u64) as usize]
    }
}
