//! loom models of the group protocol: every interleaving of a few members
//! that meet a server's death (a death during the recovery, a dup or a member
//! leaving meanwhile) is explored, with the engine's synchronization built on
//! loom's types. Each member follows the protocol as the sync front end does
//! (ha-cover's driver.rs); the group's newest connection is kept until every
//! member has moved to it, as the front ends keep it.
//!
//! `RUSTFLAGS="--cfg loom" cargo test --release -p ha-cover --test loom --target-dir target/loom`
//! (a target directory of its own keeps the normal build's). Without
//! `--cfg loom` this file is empty.
#![cfg(loom)]

use std::time::Instant;

use ha_cover_engine::{
    Action, Cause, Config, Failed, Group, Kind, Member, Next, OpInfo, OpKind, Policy, Restored,
    Role, Shared,
};
use loom::sync::Arc;
use loom::sync::atomic::{AtomicU64, Ordering};
use loom::thread;

/// The model's server: the generation of the connection that works; a
/// connection of any other generation is dead.
struct Server {
    alive: AtomicU64,
}

/// The front end's part of the group.
#[derive(Default)]
struct Ext {
    /// The generation of the newest connection, until every member moved to it.
    latest: Option<u64>,
    /// Members still to move to `latest`.
    behind: usize,
    /// Members of the group.
    members: usize,
}

fn group(members: usize) -> Arc<Shared<Ext>> {
    let group = Group::new(Config {
        kind: Kind::File,
        append: false,
        policy: Policy::default(),
        sink: None,
        seed: 1,
        name: None,
        target: ha_cover_engine::Target::Unknown,
    });
    let ext = Ext {
        members,
        ..Ext::default()
    };
    Arc::new(Shared::new(group, ext))
}

/// Runs `model` under loom with a bound on preemptions: the bugs these
/// models are after need few, and the bound keeps three threads tractable.
fn check(model: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(3);
    }
    builder.check(model);
}

fn server(alive: u64) -> Arc<Server> {
    Arc::new(Server {
        alive: AtomicU64::new(alive),
    })
}

const READ: OpInfo = OpInfo {
    kind: OpKind::Read,
    len: 0,
};

fn enotconn() -> Cause {
    Cause::Error(std::io::Error::from_raw_os_error(libc::ENOTCONN))
}

/// A member: its view of the group and the generation of its connection.
#[derive(Clone, Copy)]
struct Model {
    view: Member,
    conn: u64,
}

impl Model {
    fn first(shared: &Shared<Ext>) -> Self {
        Self {
            view: shared.lock().group.member(),
            conn: 0,
        }
    }

    /// A dup of this member (as `Cover::dup`, under the group's lock).
    fn dup(&self, shared: &Shared<Ext>) -> Self {
        let mut state = shared.lock();
        if self.view.generation() != state.group.generation() && state.ext.latest.is_some() {
            state.ext.behind += 1;
        }
        state.ext.members += 1;
        *self
    }

    /// The member leaves (dropped): the group need not keep a copy for it.
    fn leave(self, shared: &Shared<Ext>) {
        let mut state = shared.lock();
        state.ext.members -= 1;
        if self.view.generation() != state.group.generation() && state.ext.latest.is_some() {
            state.ext.behind -= 1;
            if state.ext.behind == 0 {
                state.ext.latest = None;
            }
        }
    }

    /// One read, to success.
    fn read(&mut self, shared: &Shared<Ext>, server: &Server) {
        let mut cause = None;
        for _ in 0..12 {
            if cause.is_none() && shared.epoch() == self.view.seen_epoch() {
                if self.conn == server.alive.load(Ordering::SeqCst) {
                    return;
                }
                cause = Some(enotconn());
            }
            let mut state = shared.lock();
            let failed = cause.as_ref().map(|cause| Failed {
                op: READ,
                cause,
                retransmission: false,
                inside_recovery: false,
                descriptor: None,
            });
            match state.group.settle(&mut self.view, failed, Instant::now()) {
                Role::Run => {}
                Role::Move => {
                    let (epoch, generation) = (state.group.epoch(), state.group.generation());
                    let ext = &mut state.ext;
                    self.conn = ext.latest.unwrap_or_else(|| {
                        panic!(
                            "no connection to move to: epoch {epoch} generation {generation} behind {} members {} view {:?} conn {}",
                            ext.behind, ext.members, self.view, self.conn
                        )
                    });
                    ext.behind -= 1;
                    if ext.behind == 0 {
                        ext.latest = None;
                    }
                    let next = state.group.decide(&mut self.view, READ, cause.take());
                    assert!(matches!(next, Next::Resend), "a read is sent again");
                }
                Role::Wait => {
                    let seen = self.view.seen_epoch();
                    drop(state.wait_for_end(seen));
                }
                Role::Recover(mut recovery) => {
                    drop(state);
                    // The new connection stays the recovering member's own
                    // until it is installed, as in the front ends.
                    let mut fresh = None;
                    loop {
                        let mut state = shared.lock();
                        match recovery.next(&mut state.group, Instant::now()) {
                            Action::Attempt(_) => {
                                // The server's newest incarnation accepts.
                                fresh = Some(state.group.generation() + 1);
                                let restored = Restored::default();
                                recovery.restored(&mut state.group, restored, Instant::now());
                            }
                            Action::Install => {
                                state.ext.latest = fresh.take();
                                state.ext.behind = state.ext.members;
                                recovery.installed(&mut state.group, Instant::now());
                            }
                            Action::Done => break,
                            other => panic!("no waits in these models: {other:?}"),
                        }
                    }
                }
                Role::Unrecovered(reason) => panic!("recovery gave up: {reason:?}"),
            }
        }
        panic!("the protocol went round in circles");
    }
}

/// Two members meet one death: one recovers, the other waits for it or
/// catches up; both read on, with one recovery, and the group's copy of the
/// new connection is closed once both moved to it.
#[test]
fn two_members_meet_one_death() {
    check(|| {
        let shared = group(2);
        let server = server(1);
        let first = Model::first(&shared);
        let threads: Vec<_> = [first, first]
            .into_iter()
            .map(|mut member| {
                let (shared, server) = (Arc::clone(&shared), Arc::clone(&server));
                thread::spawn(move || member.read(&shared, &server))
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        let state = shared.lock();
        let stats = state.group.stats();
        assert_eq!(
            (stats.failures, stats.recoveries),
            (1, 1),
            "one recovery per death"
        );
        assert_eq!((state.ext.latest, state.ext.behind), (None, 0));
    });
}

/// The server dies again while members recover from its first death: each
/// death is recovered from once, whichever member meets it, and nobody
/// recovers while another does.
#[test]
fn a_death_during_a_recovery() {
    check(|| {
        let shared = group(2);
        let server = server(1);
        let first = Model::first(&shared);
        let mut threads: Vec<_> = [first, first]
            .into_iter()
            .map(|mut member| {
                let (shared, server) = (Arc::clone(&shared), Arc::clone(&server));
                thread::spawn(move || member.read(&shared, &server))
            })
            .collect();
        let killer = Arc::clone(&server);
        threads.push(thread::spawn(move || {
            // Generation 1 dies; the next recovery makes 2.
            killer.alive.store(2, Ordering::SeqCst);
        }));
        for thread in threads {
            thread.join().unwrap();
        }
        let state = shared.lock();
        let stats = state.group.stats();
        assert_eq!(stats.recoveries, state.group.generation());
        assert!(stats.recoveries <= 2, "one recovery per death: {stats:?}");
        assert_eq!(stats.failures, stats.recoveries + stats.gave_up);
        assert!(!state.group.is_recovering());
    });
}

/// A member is dup'ed, and another leaves, while a third recovers: the
/// members still there all move to the new connection, and the group's copy
/// of it is closed once the last has (none leaks, none is closed early).
#[test]
fn a_dup_and_a_drop_race_a_recovery() {
    check(|| {
        let shared = group(3);
        let server = server(1);
        let first = Model::first(&shared);
        let (s, v) = (Arc::clone(&shared), Arc::clone(&server));
        let recovering = thread::spawn(move || {
            let mut member = first;
            member.read(&s, &v);
        });
        let (s, v) = (Arc::clone(&shared), Arc::clone(&server));
        let dupping = thread::spawn(move || {
            let mut member = first;
            let mut dup = member.dup(&s);
            dup.read(&s, &v);
            member.read(&s, &v);
        });
        let s = Arc::clone(&shared);
        let leaving = thread::spawn(move || first.leave(&s));
        for thread in [recovering, dupping, leaving] {
            thread.join().unwrap();
        }
        let state = shared.lock();
        assert_eq!(state.group.stats().recoveries, 1);
        assert_eq!(
            (state.ext.latest, state.ext.behind, state.ext.members),
            (None, 0, 3),
            "every member moved or left, and the copy was closed"
        );
    });
}
