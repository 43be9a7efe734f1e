//! The schedule of one recovery cycle, with no I/O and no sleeping: when to
//! attempt, how long to wait, when to give up.
//!
//! Backoff paces attempts that fail; it never delays the first attempt of a
//! failure, which is made at once (the kernel may have just said the server is
//! back). A server that flaps (fails again within `healthy_after` of the last
//! recovery) keeps its backoff level, so the attempts that do fail wait longer
//! each time. A recovery whose retransmission fails at once did not really
//! restore the connection: the cycle that follows [resumes](Cycle::resume) the
//! same failure, with its attempts, deadline and backoff.

use std::io;
use std::time::{Duration, Instant};

use crate::error::RecoveryError;
use crate::policy::Policy;

/// The counters QNX keeps per connection group (`ha_connection_ctrl`).
#[derive(Debug, Default, Clone)]
pub struct Counters {
    /// Attempts made since the last successful recovery (`HA_RECOVERY_ICOUNT`).
    pub attempts_used: u32,
    /// Successful recoveries counted against the total limit (`HA_RECOVERY_ACOUNT`).
    pub recoveries_used: u32,
    /// `HA_RECOVERY_SUSPEND` / `HA_RECOVERY_ENABLE`.
    pub suspended: bool,
}

/// Backoff progress kept across cycles, so a server that fails again soon after a
/// recovery is not hit with an immediate retry every time.
#[derive(Debug)]
pub struct BackoffState {
    level: u32,
    last_recovered: Option<Instant>,
    random: u64,
}

impl BackoffState {
    /// Backoff that draws its jitter from `seed`. Front ends seed it from the
    /// OS, differently for every group, so that clients that lost the same
    /// server do not come back in lockstep; a simulation seeds it from its own.
    pub fn new(seed: u64) -> Self {
        Self {
            level: 0,
            last_recovered: None,
            random: seed,
        }
    }

    /// splitmix64.
    fn next_random(&mut self) -> u64 {
        self.random = self.random.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.random;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn delay(&mut self, policy: &Policy) -> Duration {
        let random = self.next_random();
        policy.backoff.jittered(self.level, random)
    }
}

/// What the driver does next.
#[derive(Debug)]
pub enum Step {
    /// Call the recovery function now.
    Attempt,
    /// Wait this long, then ask again.
    Wait(Duration),
    /// Stop: the failed operation returns its original error.
    GiveUp(RecoveryError),
}

/// One recovery cycle: from a failure to a restored connection or giving up.
#[derive(Debug)]
pub struct Cycle {
    started: Instant,
    made: u32,
    next_at: Instant,
    deadline: Option<Instant>,
    last_chance_taken: bool,
    last_error: Option<io::Error>,
    /// Failed attempts since a watcher said the server may be back, while that is
    /// recent enough to retry on a short fuse.
    since_wake: Option<usize>,
    /// A resumed cycle's first attempt waits its backoff step in full: the
    /// server coming back is what a crash-looping one keeps doing, so a wake
    /// (or the watcher starting) does not bring it forward.
    not_before: Option<Instant>,
}

/// Retries right after the server was seen coming back. A server is seen a
/// little before it serves (a socket is bound before it listens, a mount
/// appears before the daemon answers): these catch it without waiting a whole
/// backoff step.
const AFTER_WAKE: [Duration; 4] = [
    Duration::from_micros(200),
    Duration::from_micros(400),
    Duration::from_micros(800),
    Duration::from_micros(1600),
];

impl Cycle {
    /// Starts a cycle, or refuses at once when the group may not recover. The
    /// first attempt is due at once.
    pub fn begin(
        policy: &Policy,
        counters: &Counters,
        backoff: &mut BackoffState,
        now: Instant,
    ) -> Result<Self, RecoveryError> {
        Self::may_begin(policy, counters)?;
        let flapping = backoff
            .last_recovered
            .is_some_and(|at| now.saturating_duration_since(at) < policy.healthy_after);
        if !flapping {
            backoff.level = 0;
        }
        Ok(Self {
            started: now,
            made: 0,
            next_at: now,
            deadline: policy.deadline.map(|d| now + d),
            last_chance_taken: false,
            last_error: None,
            since_wake: None,
            not_before: None,
        })
    }

    /// Starts the cycle that goes on with the failure `carry` left: the
    /// recovery that ended it did not hold (the operation sent again failed at
    /// once on the new connection). That recovery counts as a failed attempt:
    /// the attempts limit and the deadline are the failure's, and the next
    /// attempt waits the next backoff step, even when a watcher sees the server
    /// come back meanwhile. A deadline that has passed ends it with no attempt
    /// more: the recovery that did not hold came at or after it.
    pub fn resume(
        carry: &Carry,
        policy: &Policy,
        counters: &mut Counters,
        backoff: &mut BackoffState,
        now: Instant,
    ) -> Result<Self, RecoveryError> {
        Self::may_begin(policy, counters)?;
        // Another member's cycle may have gone on with the same failure
        // already: what it used counts too.
        counters.attempts_used = counters.attempts_used.max(carry.attempts_used);
        backoff.level = carry.level.saturating_add(1);
        let next_at = now + backoff.delay(policy);
        let deadline = policy.deadline.map(|d| carry.began + d);
        Ok(Self {
            started: carry.began,
            made: carry.made,
            next_at,
            deadline,
            // The failure had its attempt at the deadline already: past it,
            // a recovery that did not hold ends the failure.
            last_chance_taken: deadline.is_some_and(|deadline| now >= deadline),
            last_error: Some(io::Error::other(
                "the connection failed again as soon as the operation was sent on it",
            )),
            since_wake: None,
            not_before: Some(next_at),
        })
    }

    fn may_begin(policy: &Policy, counters: &Counters) -> Result<(), RecoveryError> {
        if counters.suspended {
            return Err(RecoveryError::Suspended);
        }
        if let Some(limit) = policy.total
            && counters.recoveries_used >= limit
        {
            return Err(RecoveryError::TotalLimit { limit });
        }
        Ok(())
    }

    /// When the failure this cycle recovers from was first seen.
    pub fn started(&self) -> Instant {
        self.started
    }

    /// Attempts made in this cycle.
    pub fn attempts(&self) -> u32 {
        self.made
    }

    /// The moment the deadline passes, if there is one.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// What to do at `now`.
    pub fn step(&mut self, policy: &Policy, counters: &Counters, now: Instant) -> Step {
        if let Some(limit) = policy.attempts
            && counters.attempts_used >= limit
        {
            return Step::GiveUp(RecoveryError::AttemptsExhausted {
                attempts: self.made,
                last: self.last_error.take(),
            });
        }
        let due = self.deadline.map_or(self.next_at, |d| d.min(self.next_at));
        if now < due {
            return Step::Wait(due - now);
        }
        if let Some(deadline) = self.deadline
            && now >= deadline
        {
            // One attempt is made at the deadline itself, so a wait that was cut
            // short by the deadline still ends with a try.
            if self.last_chance_taken {
                return Step::GiveUp(RecoveryError::DeadlinePassed {
                    deadline: deadline - self.started,
                    attempts: self.made,
                    last: self.last_error.take(),
                });
            }
            self.last_chance_taken = true;
        }
        Step::Attempt
    }

    /// Something changed that may mean the server is back: attempt at once,
    /// and soon again if it is not serving yet.
    pub fn nudge(&mut self, now: Instant) {
        self.retry_now(now);
        self.since_wake = Some(0);
    }

    /// Attempt at once (a resumed cycle: once its backoff step is over),
    /// without changing the schedule after that.
    pub fn retry_now(&mut self, now: Instant) {
        let at = self
            .not_before
            .map_or(now, |not_before| not_before.max(now));
        self.next_at = self.next_at.min(at);
    }

    /// Records a failed attempt and schedules the next one.
    pub fn attempt_failed(
        &mut self,
        error: io::Error,
        policy: &Policy,
        counters: &mut Counters,
        backoff: &mut BackoffState,
        now: Instant,
    ) {
        self.made += 1;
        counters.attempts_used = counters.attempts_used.saturating_add(1);
        self.last_error = Some(error);
        // A failed attempt says the server is not back: wakes count again.
        self.not_before = None;
        if let Some(tries) = self.since_wake
            && let Some(&soon) = AFTER_WAKE.get(tries)
        {
            self.since_wake = Some(tries + 1);
            self.next_at = now + soon;
            return;
        }
        self.since_wake = None;
        backoff.level = backoff.level.saturating_add(1);
        self.next_at = now + backoff.delay(policy);
    }

    /// Records the successful attempt that ends the cycle, and returns what a
    /// cycle that [resumes](Self::resume) the same failure starts from.
    pub fn succeeded(
        &mut self,
        counters: &mut Counters,
        backoff: &mut BackoffState,
        now: Instant,
    ) -> Carry {
        self.made += 1;
        let carry = Carry {
            began: self.started,
            made: self.made,
            attempts_used: counters.attempts_used.saturating_add(1),
            level: backoff.level,
        };
        counters.attempts_used = 0;
        counters.recoveries_used = counters.recoveries_used.saturating_add(1);
        backoff.last_recovered = Some(now);
        carry
    }
}

/// What a successful cycle leaves for one that goes on with the same failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Carry {
    /// When the failure was first seen: the deadline runs from here.
    pub began: Instant,
    /// Attempts made for the failure, the successful one included.
    pub made: u32,
    /// What the attempts limit counts, the successful attempt included.
    pub attempts_used: u32,
    /// The backoff level reached.
    pub level: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Backoff;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn policy() -> Policy {
        Policy {
            backoff: Backoff::exponential(ms(10), ms(80)).without_jitter(),
            ..Policy::default()
        }
    }

    #[test]
    fn first_attempt_is_immediate_then_backs_off_exponentially() {
        let policy = policy();
        let mut counters = Counters::default();
        let mut backoff = BackoffState::new(7);
        let t0 = Instant::now();
        let mut cycle = Cycle::begin(&policy, &counters, &mut backoff, t0).unwrap();
        assert!(matches!(cycle.step(&policy, &counters, t0), Step::Attempt));
        let mut now = t0;
        for expected in [10, 20, 40, 80, 80] {
            cycle.attempt_failed(
                io::ErrorKind::NotFound.into(),
                &policy,
                &mut counters,
                &mut backoff,
                now,
            );
            match cycle.step(&policy, &counters, now) {
                Step::Wait(d) => assert_eq!(d, ms(expected)),
                other => panic!("expected a wait, got {other:?}"),
            }
            now += ms(expected);
            assert!(matches!(cycle.step(&policy, &counters, now), Step::Attempt));
        }
    }

    #[test]
    fn attempt_limit_persists_until_success() {
        let policy = Policy {
            attempts: Some(2),
            backoff: Backoff::none(),
            ..Policy::default()
        };
        let mut counters = Counters::default();
        let mut backoff = BackoffState::new(7);
        let now = Instant::now();
        let mut cycle = Cycle::begin(&policy, &counters, &mut backoff, now).unwrap();
        for _ in 0..2 {
            assert!(matches!(cycle.step(&policy, &counters, now), Step::Attempt));
            cycle.attempt_failed(
                io::ErrorKind::NotFound.into(),
                &policy,
                &mut counters,
                &mut backoff,
                now,
            );
        }
        match cycle.step(&policy, &counters, now) {
            Step::GiveUp(RecoveryError::AttemptsExhausted {
                attempts: 2,
                last: Some(e),
            }) => {
                assert_eq!(e.kind(), io::ErrorKind::NotFound)
            }
            other => panic!("{other:?}"),
        }
        // A later failure finds the limit still used up, as QNX's ICOUNT does.
        let mut again = Cycle::begin(&policy, &counters, &mut backoff, now).unwrap();
        assert!(matches!(
            again.step(&policy, &counters, now),
            Step::GiveUp(RecoveryError::AttemptsExhausted { attempts: 0, .. })
        ));
        counters.attempts_used = 0;
        let mut reset = Cycle::begin(&policy, &counters, &mut backoff, now).unwrap();
        assert!(matches!(reset.step(&policy, &counters, now), Step::Attempt));
    }

    #[test]
    fn total_limit_and_suspend_refuse_to_begin() {
        let policy = Policy {
            total: Some(1),
            ..Policy::default()
        };
        let mut counters = Counters {
            recoveries_used: 1,
            ..Counters::default()
        };
        let mut backoff = BackoffState::new(7);
        let now = Instant::now();
        assert!(matches!(
            Cycle::begin(&policy, &counters, &mut backoff, now),
            Err(RecoveryError::TotalLimit { limit: 1 })
        ));
        counters.recoveries_used = 0;
        counters.suspended = true;
        assert!(matches!(
            Cycle::begin(&policy, &counters, &mut backoff, now),
            Err(RecoveryError::Suspended)
        ));
    }

    #[test]
    fn deadline_cuts_the_wait_short_and_allows_one_last_attempt() {
        let policy = Policy {
            deadline: Some(ms(25)),
            backoff: Backoff::fixed(ms(20)).without_jitter(),
            ..Policy::default()
        };
        let mut counters = Counters::default();
        let mut backoff = BackoffState::new(7);
        let t0 = Instant::now();
        let mut cycle = Cycle::begin(&policy, &counters, &mut backoff, t0).unwrap();
        assert!(matches!(cycle.step(&policy, &counters, t0), Step::Attempt));
        cycle.attempt_failed(
            io::ErrorKind::NotFound.into(),
            &policy,
            &mut counters,
            &mut backoff,
            t0,
        );
        let t20 = t0 + ms(20);
        assert!(matches!(cycle.step(&policy, &counters, t20), Step::Attempt));
        cycle.attempt_failed(
            io::ErrorKind::NotFound.into(),
            &policy,
            &mut counters,
            &mut backoff,
            t20,
        );
        match cycle.step(&policy, &counters, t20) {
            Step::Wait(d) => assert_eq!(d, ms(5), "the wait ends at the deadline"),
            other => panic!("{other:?}"),
        }
        let t25 = t0 + ms(25);
        assert!(matches!(cycle.step(&policy, &counters, t25), Step::Attempt));
        cycle.attempt_failed(
            io::ErrorKind::NotFound.into(),
            &policy,
            &mut counters,
            &mut backoff,
            t25,
        );
        assert!(matches!(
            cycle.step(&policy, &counters, t25),
            Step::GiveUp(RecoveryError::DeadlinePassed {
                attempts: 3,
                last: Some(_),
                ..
            })
        ));
    }

    #[test]
    fn a_flapping_server_gets_an_immediate_attempt_then_longer_waits_when_it_is_not_back() {
        let policy = Policy {
            healthy_after: ms(100),
            ..policy()
        };
        let mut counters = Counters::default();
        let mut backoff = BackoffState::new(7);
        let mut now = Instant::now();
        let mut waits = Vec::new();
        for _ in 0..4 {
            let mut cycle = Cycle::begin(&policy, &counters, &mut backoff, now).unwrap();
            // The first attempt of every failure is at once.
            assert!(matches!(cycle.step(&policy, &counters, now), Step::Attempt));
            // The server is not back yet: the wait grows from flap to flap.
            cycle.attempt_failed(
                io::ErrorKind::NotFound.into(),
                &policy,
                &mut counters,
                &mut backoff,
                now,
            );
            match cycle.step(&policy, &counters, now) {
                Step::Wait(d) => waits.push(d.as_millis()),
                other => panic!("{other:?}"),
            }
            cycle.succeeded(&mut counters, &mut backoff, now);
            now += ms(5); // the server dies again soon after each recovery
        }
        assert_eq!(waits, [10, 20, 40, 80]);
        // After a healthy stretch the schedule starts over.
        now += ms(100);
        let mut cycle = Cycle::begin(&policy, &counters, &mut backoff, now).unwrap();
        assert!(matches!(cycle.step(&policy, &counters, now), Step::Attempt));
        cycle.attempt_failed(
            io::ErrorKind::NotFound.into(),
            &policy,
            &mut counters,
            &mut backoff,
            now,
        );
        assert!(matches!(cycle.step(&policy, &counters, now), Step::Wait(d) if d == ms(10)));
    }

    #[test]
    fn a_resumed_failure_keeps_its_deadline_attempts_and_backoff() {
        let policy = Policy {
            attempts: Some(3),
            deadline: Some(ms(1000)),
            ..policy()
        };
        let mut counters = Counters::default();
        let mut backoff = BackoffState::new(7);
        let t0 = Instant::now();
        let mut cycle = Cycle::begin(&policy, &counters, &mut backoff, t0).unwrap();
        assert!(matches!(cycle.step(&policy, &counters, t0), Step::Attempt));
        let carry = cycle.succeeded(&mut counters, &mut backoff, t0);
        assert_eq!(counters.attempts_used, 0);
        // The operation sent again fails at once: the same failure goes on.
        let mut now = t0 + ms(1);
        let mut again = Cycle::resume(&carry, &policy, &mut counters, &mut backoff, now).unwrap();
        assert_eq!(
            counters.attempts_used, 1,
            "the recovery that did not hold counts"
        );
        assert_eq!(
            again.started(),
            t0,
            "the deadline runs from the first failure"
        );
        match again.step(&policy, &counters, now) {
            Step::Wait(d) => assert_eq!(d, ms(10), "not at once: paced by the backoff"),
            other => panic!("{other:?}"),
        }
        // Two more recoveries that do not hold use up the limit of three.
        let mut carry;
        for used in [2, 3] {
            now += ms(100);
            assert!(matches!(again.step(&policy, &counters, now), Step::Attempt));
            carry = again.succeeded(&mut counters, &mut backoff, now);
            again = Cycle::resume(&carry, &policy, &mut counters, &mut backoff, now).unwrap();
            assert_eq!(counters.attempts_used, used);
        }
        assert!(matches!(
            again.step(&policy, &counters, now + ms(500)),
            Step::GiveUp(RecoveryError::AttemptsExhausted { attempts: 3, .. })
        ));
    }

    #[test]
    fn a_failure_resumed_past_its_deadline_gives_up_at_once() {
        let policy = Policy {
            deadline: Some(ms(100)),
            ..policy()
        };
        let mut counters = Counters::default();
        let mut backoff = BackoffState::new(7);
        let t0 = Instant::now();
        let mut cycle = Cycle::begin(&policy, &counters, &mut backoff, t0).unwrap();
        assert!(matches!(cycle.step(&policy, &counters, t0), Step::Attempt));
        let carry = cycle.succeeded(&mut counters, &mut backoff, t0);
        // Within the deadline the resumed failure waits and attempts again.
        let soon = t0 + ms(50);
        let mut again = Cycle::resume(&carry, &policy, &mut counters, &mut backoff, soon).unwrap();
        assert!(matches!(
            again.step(&policy, &counters, soon),
            Step::Wait(_)
        ));
        let carry = again.succeeded(&mut counters, &mut backoff, soon);
        // Past it, no attempt is left: a recovery that never holds cannot
        // take a last chance at every turn.
        let late = t0 + ms(150);
        let mut past = Cycle::resume(&carry, &policy, &mut counters, &mut backoff, late).unwrap();
        assert!(matches!(
            past.step(&policy, &counters, late),
            Step::GiveUp(RecoveryError::DeadlinePassed { .. })
        ));
    }

    #[test]
    fn after_a_wake_failed_attempts_retry_on_a_short_fuse_then_back_off_as_before() {
        let policy = policy();
        let mut counters = Counters::default();
        let mut backoff = BackoffState::new(7);
        let mut now = Instant::now();
        let mut cycle = Cycle::begin(&policy, &counters, &mut backoff, now).unwrap();
        cycle.attempt_failed(
            io::ErrorKind::NotFound.into(),
            &policy,
            &mut counters,
            &mut backoff,
            now,
        );
        cycle.nudge(now);
        let mut waits = Vec::new();
        for _ in 0..6 {
            assert!(matches!(cycle.step(&policy, &counters, now), Step::Attempt));
            cycle.attempt_failed(
                io::ErrorKind::NotFound.into(),
                &policy,
                &mut counters,
                &mut backoff,
                now,
            );
            let Step::Wait(wait) = cycle.step(&policy, &counters, now) else {
                panic!()
            };
            waits.push(wait.as_micros());
            now += wait;
        }
        assert_eq!(waits, [200, 400, 800, 1600, 20_000, 40_000]);
    }

    #[test]
    fn jitter_stays_within_half_and_whole_delay() {
        let b = Backoff::fixed(ms(100));
        for r in [0, 1, u64::MAX / 3, u64::MAX] {
            let d = b.jittered(1, r);
            assert!(d >= ms(50) && d <= ms(100), "{d:?}");
        }
    }
}
