//! A recovery whose new connection dies as soon as the failed operation is
//! sent on it again (a crash-looping server, a recovery function that returns
//! a dead connection) did not end the failure: the cycles that follow go on
//! with it. Its deadline must end it, and its attempts must be paced by the
//! backoff even when a watcher sees the server come back each time (a
//! supervisor restarting a server that crashes at every connection).
//!
//! Found by the simulation (`ha-cover/tests/simulation.rs`); pinned there as
//! `a_crash_looping_server_is_not_hammered` and
//! `a_recovery_that_returns_a_dead_connection_is_bounded_by_attempts_and_deadline`.

use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ha_cover_engine::{
    Action, Backoff, Cause, Config, Failed, Group, Kind, Member, Next, OpInfo, OpKind, Policy,
    RecoveryError, Restored, Role,
};

fn group(policy: Policy) -> Group {
    Group::new(Config {
        kind: Kind::Socket,
        append: false,
        policy,
        sink: None,
        seed: 7,
        name: None,
        target: ha_cover_engine::Target::Unknown,
    })
}

fn cause() -> Cause {
    Cause::Error(io::Error::from_raw_os_error(libc::ECONNRESET))
}

/// What one cycle did: when its first attempt came, or why it gave up.
enum Round {
    Attempted { after: Duration },
    GaveUp(Arc<RecoveryError>),
}

/// One failure of the operation (`retransmission` when it was being sent
/// again), its cycle driven with a recovery function that always returns a
/// connection, and a watcher that sees the server come back 1 ms into every
/// wait; then the member moves and sends the operation again.
fn round(group: &mut Group, member: &mut Member, retransmission: bool, now: &mut Instant) -> Round {
    let op = OpInfo::new(OpKind::Write, 4);
    let began = *now;
    let cause = cause();
    let failed = Failed {
        op,
        cause: &cause,
        retransmission,
        inside_recovery: false,
        descriptor: None,
    };
    let mut recovery = match group.settle(member, Some(failed), *now) {
        Role::Recover(recovery) => recovery,
        Role::Unrecovered(Some(reason)) => return Round::GaveUp(reason),
        other => panic!("{other:?}"),
    };
    let mut first = None;
    loop {
        match recovery.next(group, *now) {
            Action::Attempt(_) => {
                first.get_or_insert(*now - began);
                *now += Duration::from_micros(100);
                recovery.restored(group, Restored::default(), *now);
            }
            Action::Watch => recovery.watching(ha_cover_engine::WaitingFor::Mount, *now),
            Action::Wait(delay) => {
                let woken = delay > Duration::from_millis(1);
                *now += delay.min(Duration::from_millis(1));
                recovery.waited(woken, *now);
            }
            Action::Install => recovery.installed(group, *now),
            Action::Done => break,
            Action::Replay => unreachable!("nothing unanswered"),
        }
    }
    let Some(after) = first else {
        return Round::GaveUp(group.stats().last_give_up.clone().expect("gave up"));
    };
    let cause = self::cause();
    let failed = Failed {
        op,
        cause: &cause,
        retransmission,
        inside_recovery: false,
        descriptor: None,
    };
    assert!(matches!(
        group.settle(member, Some(failed), *now),
        Role::Move
    ));
    assert!(matches!(
        group.decide(member, op, Some(cause)),
        Next::Resend
    ));
    // Sent again; it fails at once.
    *now += Duration::from_micros(50);
    Round::Attempted { after }
}

#[test]
fn a_recovery_that_does_not_hold_ends_at_the_deadline() {
    let deadline = Duration::from_secs(1);
    let mut group = group(Policy {
        deadline: Some(deadline),
        ..Policy::default()
    });
    let mut member = group.member();
    let t0 = Instant::now();
    let mut now = t0;
    for n in 0..10_000 {
        match round(&mut group, &mut member, n > 0, &mut now) {
            Round::Attempted { .. } => {}
            Round::GaveUp(reason) => {
                assert!(
                    matches!(*reason, RecoveryError::DeadlinePassed { .. }),
                    "{reason:?}"
                );
                assert!(
                    now - t0 <= deadline + Duration::from_millis(200),
                    "gave up {:?} after the failure",
                    now - t0
                );
                return;
            }
        }
    }
    panic!(
        "still recovering {:?} after the failure, with a deadline of {deadline:?}",
        now - t0
    );
}

#[test]
fn a_recovery_that_does_not_hold_waits_its_backoff_even_when_the_server_is_seen_back() {
    let mut group = group(Policy {
        backoff: Backoff::exponential(Duration::from_millis(10), Duration::from_millis(80))
            .without_jitter(),
        ..Policy::default()
    });
    let mut member = group.member();
    let mut now = Instant::now();
    let mut waits = Vec::new();
    for n in 0..6 {
        match round(&mut group, &mut member, n > 0, &mut now) {
            Round::Attempted { after } => waits.push(after.as_millis()),
            Round::GaveUp(reason) => panic!("{reason:?}"),
        }
    }
    // The first attempt of the failure is at once; each recovery that did not
    // hold is followed by the next backoff step, woken or not.
    assert_eq!(waits, [0, 10, 20, 40, 80, 80]);
}
