//! What one run simulates, drawn from its seed: the kind of connection, the
//! group's members, the policy, the recovery function, and how often the world
//! misbehaves.

use std::time::Duration;

use ha_cover_engine::{Backoff, Kind, Policy, WritePolicy};

use super::recovery_fns::RecoveryFn;
use super::rng::Rng;

/// Which front end the simulated one behaves as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// The sync cover: each member moves to the new connection itself
    /// (`Cover`, `driver.rs`).
    Sync,
    /// The C ABI: the recovery function's `ha_reopen` puts the new
    /// connection under every member's descriptor number, before the engine
    /// installs it; a failed call is settled from the epoch it began at
    /// (`member_since`); EINTR and unrecovered errors go to the caller as
    /// errnos (`ha-cover-c`: `cover_loop.rs`, `settle.rs`, `cycle.rs`, `repoint.rs`).
    C,
    /// The tokio cover: a recovery runs as a task of its own, with a
    /// duplicate of the dead connection, while the member that failed waits
    /// like the others; only a failure's first report can go on with the
    /// last recovery's; a runtime that shuts down drops the task, which
    /// abandons the recovery (`tokio/cover.rs`, `tokio/recover.rs`).
    Async,
}

#[derive(Clone, Debug)]
pub struct Setup {
    pub seed: u64,
    pub flavor: Flavor,
    pub kind: Kind,
    pub append: bool,
    /// Members at the start (the first one and its dups).
    pub members: usize,
    pub policy: Policy,
    /// Whether a watcher sees the server come back (a mount, a Unix
    /// socket's directory; not a TCP peer).
    pub watchable: bool,
    pub recovery: RecoveryFn,
    pub faults: Faults,
    pub file_len: usize,
    /// Seeks to a set or relative position are the kernel's alone and succeed
    /// on a dead connection (as on FUSE): a member may seek the dead
    /// connection while another recovers, and the new connection must follow.
    pub local_seeks: bool,
    /// Steps take this many times less simulated time than the default (a
    /// few microseconds to a few milliseconds, with rare jumps of up to 20
    /// ms, so that deaths land everywhere, between any two steps).
    pub pace: u32,
}

/// How often things go wrong, per mille.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// A step is the world's, not a member's.
    pub world: u32,
    /// A world step kills the server.
    pub kill: u32,
    /// A world step resets the group's connection alone (sockets).
    pub reset: u32,
    /// A world step starts a crash loop.
    pub crash_loop: u32,
    /// The start of an operation kills the server during or after it.
    pub during_op: u32,
    /// The server dies soon after every restart for a while.
    pub flapping: bool,
    /// A server down for longer than recovery waits.
    pub long_downtime: u32,
    /// A request kills the connection that carries it.
    pub poison: u32,
    pub eintr: u32,
    /// A media error (EIO) on a live server: the caller's.
    pub eio: u32,
    /// A transfer moves fewer bytes than asked.
    pub partial: u32,
    /// An idle member changes a limit, suspends, enables.
    pub control: u32,
    /// An idle member replaces the recovery function.
    pub replace: u32,
    /// An idle member dups itself, or leaves.
    pub membership: u32,
    /// A world step shuts the runtime down: a recovery task is dropped
    /// (the tokio cover).
    pub abandon: u32,
}

impl Setup {
    pub fn from_seed(seed: u64) -> Self {
        let mut r = Rng::new(seed ^ 0x0005_E709);
        let (kind, append) = match r.below(10) {
            0..=3 => (Kind::File, false),
            4..=5 => (Kind::File, true),
            _ => (Kind::Socket, false),
        };
        let members = if r.chance(300) {
            1
        } else {
            r.range(2, 4) as usize
        };
        let attempts = r.chance(500).then(|| r.range(1, 8) as u32);
        let deadline = match (attempts, r.below(6)) {
            (Some(_), 0 | 1) => None,
            (_, 2) => Some(Duration::from_millis(20)),
            (_, 3) => Some(Duration::from_millis(r.range(50, 400))),
            (_, 4) => Some(Duration::from_secs(1)),
            _ => Some(ha_cover_engine::DEFAULT_DEADLINE),
        };
        let backoff = match r.below(10) {
            0..=3 => Backoff::default(),
            4 | 5 => Backoff::exponential(Duration::from_millis(1), Duration::from_millis(100))
                .without_jitter(),
            6 | 7 => Backoff::fixed(Duration::from_millis(r.range(2, 20))),
            8 => Backoff::exponential(Duration::from_micros(100), Duration::from_millis(10)),
            _ if attempts.is_some() => Backoff::none(),
            _ => Backoff::default(),
        };
        let healthy_after = match r.below(4) {
            0 | 1 => Duration::from_millis(500),
            2 => Duration::ZERO,
            _ => Duration::from_millis(r.range(1, 100)),
        };
        let write_policy = match r.below(3) {
            0 => WritePolicy::Never,
            1 => WritePolicy::Always,
            _ => WritePolicy::Replay,
        };
        let policy = Policy {
            attempts,
            total: r.chance(150).then(|| r.range(2, 30) as u32),
            deadline,
            backoff,
            healthy_after,
            write_policy,
            replay_capacity: if r.chance(300) {
                r.range(8, 64) as usize
            } else {
                64 * 1024
            },
            wrap_errors: r.chance(500),
            ..Policy::default()
        };
        let socket = kind == Kind::Socket;
        let faults = Faults {
            world: r.range(50, 250) as u32,
            kill: r.range(20, 300) as u32,
            reset: if socket { r.range(0, 100) as u32 } else { 0 },
            crash_loop: r.range(0, 30) as u32,
            during_op: r.range(0, 60) as u32,
            flapping: r.chance(200),
            long_downtime: r.range(0, 100) as u32,
            poison: if socket { r.range(0, 40) as u32 } else { 0 },
            eintr: r.range(0, 20) as u32,
            eio: if socket { 0 } else { r.range(0, 10) as u32 },
            partial: r.range(0, 300) as u32,
            control: r.range(0, 40) as u32,
            replace: r.range(0, 30) as u32,
            membership: r.range(0, 40) as u32,
            abandon: r.range(0, 30) as u32,
        };
        Self {
            seed,
            flavor: match r.below(20) {
                0..=6 => Flavor::C,
                7..=12 => Flavor::Async,
                _ => Flavor::Sync,
            },
            kind,
            append,
            members,
            policy,
            watchable: !socket || r.chance(700),
            recovery: if r.chance(150) {
                RecoveryFn::Flaky {
                    failures: r.range(1, 3) as u32,
                }
            } else {
                RecoveryFn::Reopen
            },
            faults,
            file_len: r.range(0, 4096) as usize,
            local_seeks: r.chance(500),
            pace: 1,
        }
    }

    /// The most time one failure may take to end, recovered or not, under
    /// this setup's limits (`None`: nothing bounds it).
    pub fn failure_bound(&self) -> Option<Duration> {
        let policy = &self.policy;
        let cap = policy.backoff.delay(64);
        // An attempt and the steps around it take up to a few milliseconds of
        // simulated time.
        let by_attempts = policy
            .attempts
            .map(|n| (cap + Duration::from_millis(20)) * (n + 1));
        match (policy.deadline, by_attempts) {
            (Some(d), Some(a)) => Some(d.min(a)),
            (d, a) => d.or(a),
        }
    }
}
