//! Every member whose operation was sent again after a recovery goes on with
//! the failure that recovery did not end, not only the first to report that
//! the new connection died at once: the second, once the first's cycle gave
//! up at the deadline, gives up too, instead of beginning a failure of its
//! own with a fresh deadline (its call would outlast its policy).
//!
//! Found by the simulation (`ha-cover/tests/simulation.rs`).

use std::io;
use std::time::{Duration, Instant};

use ha_cover_engine::{
    Action, AttemptError, Cause, Config, Failed, Group, Kind, Member, Next, OpInfo, OpKind, Policy,
    RecoveryError, Restored, Role,
};

const READ: OpInfo = OpInfo {
    kind: OpKind::ReadAt,
    len: 0,
};

fn cause() -> Cause {
    Cause::Error(io::Error::from_raw_os_error(libc::ENOTCONN))
}

fn settle(group: &mut Group, member: &mut Member, retransmission: bool, now: Instant) -> Role {
    let cause = cause();
    let failed = Failed {
        op: READ,
        cause: &cause,
        retransmission,
        inside_recovery: false,
        descriptor: None,
    };
    group.settle(member, Some(failed), now)
}

#[test]
fn a_second_resend_that_fails_goes_on_with_the_failure_too() {
    let deadline = Duration::from_secs(1);
    let mut group = Group::new(Config {
        kind: Kind::File,
        append: false,
        policy: Policy {
            deadline: Some(deadline),
            ..Policy::default()
        },
        sink: None,
        seed: 11,
        name: None,
        target: ha_cover_engine::Target::Unknown,
    });
    let mut a = group.member();
    let mut b = group.member();
    let t0 = Instant::now();
    let at = |ms| t0 + Duration::from_millis(ms);

    // Both reads fail; A recovers, B waits. The server stays away until just
    // before the deadline; the connection then made is dead at once.
    let Role::Recover(mut recovery) = settle(&mut group, &mut a, false, at(0)) else {
        panic!("A recovers")
    };
    assert!(matches!(
        settle(&mut group, &mut b, false, at(1)),
        Role::Wait
    ));
    let mut now = at(2);
    loop {
        match recovery.next(&mut group, now) {
            Action::Attempt(_) if now < at(900) => recovery.attempt_failed(
                &mut group,
                AttemptError::retry(io::Error::from_raw_os_error(libc::ENOENT)),
                now,
            ),
            Action::Attempt(_) => recovery.restored(&mut group, Restored::default(), now),
            Action::Watch => recovery.watching(ha_cover_engine::WaitingFor::Timer, now),
            Action::Wait(d) => {
                now += d;
                recovery.waited(false, now);
            }
            Action::Install => recovery.installed(&mut group, now),
            Action::Done => break,
            Action::Replay => unreachable!(),
        }
    }
    // A sends its read again; it fails at once, past the deadline: A gives up.
    assert!(matches!(settle(&mut group, &mut a, false, now), Role::Move));
    assert!(matches!(
        group.decide(&mut a, READ, Some(cause())),
        Next::Resend
    ));
    let Role::Recover(mut recovery) = settle(&mut group, &mut a, true, at(1050)) else {
        panic!("A goes on with its failure")
    };
    assert_eq!(recovery.next(&mut group, at(1050)), Action::Done);
    assert!(matches!(
        settle(&mut group, &mut a, true, at(1050)),
        Role::Unrecovered(_)
    ));
    // B moves only now, and sends its read again: it fails at once too.
    assert!(matches!(
        settle(&mut group, &mut b, false, at(1060)),
        Role::Move
    ));
    assert!(matches!(
        group.decide(&mut b, READ, Some(cause())),
        Next::Resend
    ));
    match settle(&mut group, &mut b, true, at(1070)) {
        Role::Unrecovered(_) => {}
        Role::Recover(mut recovery) => {
            // Going on with the failure, past its deadline: no attempt more.
            assert_eq!(recovery.next(&mut group, at(1070)), Action::Done);
            let reason = group.stats().last_give_up.clone().expect("gave up");
            assert!(
                matches!(*reason, RecoveryError::DeadlinePassed { .. }),
                "{reason:?}"
            );
        }
        other => panic!("{other:?}"),
    }
}
