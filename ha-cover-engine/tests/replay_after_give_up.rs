//! Under `WritePolicy::Replay`, a recovery that gives up tells the operations
//! under way that the exchange failed, and their callers abandon it. A later
//! recovery must not send the abandoned bytes on its new connection ahead of
//! the next request: the server would run a request its client gave up on and
//! answer it in place of the next one. What it did not replay is lost with the
//! connection: the operations under way at the next recovery learn it as
//! Indeterminate.
//!
//! Found by the simulation (`ha-cover/tests/simulation.rs`: the answer to
//! request 3, abandoned, read as request 4's).

use std::io;
use std::time::Instant;

use ha_cover_engine::{
    Action, AttemptError, Cause, Config, Failed, Group, Kind, Next, OpInfo, OpKind, Policy,
    Restored, Role, WritePolicy,
};

#[test]
fn bytes_a_recovery_gave_up_on_are_not_replayed_by_the_next_one() {
    let mut group = Group::new(Config {
        kind: Kind::Socket,
        append: false,
        policy: Policy {
            attempts: Some(1),
            write_policy: WritePolicy::Replay,
            ..Policy::default()
        },
        sink: None,
        seed: 3,
        name: None,
        target: ha_cover_engine::Target::Unknown,
    });
    let mut member = group.member();
    let now = Instant::now();
    let write = OpInfo::new(OpKind::Write, 10);
    let reset = || Cause::Error(io::Error::from_raw_os_error(libc::ECONNRESET));
    let failed = |cause| Failed {
        op: write,
        cause,
        retransmission: false,
        inside_recovery: false,
        descriptor: None,
    };

    // The first part of request 3 is sent; the second part fails, and the
    // server stays away: recovery gives up, the caller abandons request 3.
    group.note_sent(b"REQ 3 part");
    let cause = reset();
    let Role::Recover(mut recovery) = group.settle(&mut member, Some(failed(&cause)), now) else {
        panic!("a sole member recovers")
    };
    loop {
        match recovery.next(&mut group, now) {
            Action::Attempt(_) => recovery.attempt_failed(
                &mut group,
                AttemptError::retry(io::Error::from_raw_os_error(libc::ECONNREFUSED)),
                now,
            ),
            Action::Done => break,
            other => panic!("{other:?}"),
        }
    }
    assert!(matches!(
        group.settle(&mut member, Some(failed(&cause)), now),
        Role::Unrecovered(Some(_))
    ));
    group.reset_attempts();

    // Request 4's first write fails on the dead connection; the server is back.
    let cause = reset();
    let Role::Recover(mut recovery) = group.settle(&mut member, Some(failed(&cause)), now) else {
        panic!("a new failure recovers")
    };
    let mut actions = Vec::new();
    loop {
        let action = recovery.next(&mut group, now);
        actions.push(action);
        match action {
            Action::Attempt(_) => recovery.restored(&mut group, Restored::default(), now),
            Action::Replay => recovery.replayed(&mut group, Ok(()), now),
            Action::Install => recovery.installed(&mut group, now),
            Action::Done => break,
            other => panic!("{other:?}"),
        }
    }
    assert!(
        !actions.contains(&Action::Replay),
        "request 3's bytes were sent again after its caller was told it failed: {actions:?}"
    );
    assert!(matches!(
        group.settle(&mut member, Some(failed(&cause)), now),
        Role::Move
    ));
    // Whether the server got request 3's bytes is unknown to request 4's
    // writer, which is told so; nothing stays unanswered afterwards.
    match group.decide(&mut member, write, Some(cause)) {
        Next::Fail(e) => assert!(ha_cover_engine::is_indeterminate(&e), "{e}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(group.ledger().unanswered(), 0);
}
