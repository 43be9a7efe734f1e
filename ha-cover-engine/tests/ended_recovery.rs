//! A recovery that ended (here: its function gave up) is asked once more what
//! to do, and says `Done`, even when another member began a new recovery in
//! between: front ends release the group's lock between the two calls.
//!
//! Found by the simulation in a debug build (a debug assertion panicked).

use std::io;
use std::time::Instant;

use ha_cover_engine::{
    Action, AttemptError, Cause, Config, Failed, Group, Kind, OpInfo, OpKind, Policy, Role,
};

#[test]
fn an_ended_recovery_is_done_while_another_one_runs() {
    let mut group = Group::new(Config {
        kind: Kind::File,
        append: false,
        policy: Policy::default(),
        sink: None,
        seed: 9,
        name: None,
        target: ha_cover_engine::Target::Unknown,
    });
    let mut a = group.member();
    let now = Instant::now();
    let read = OpInfo::new(OpKind::Read, 0);
    let cause = Cause::Error(io::Error::from_raw_os_error(libc::ENOTCONN));
    let failed = || Failed {
        op: read,
        cause: &cause,
        retransmission: false,
        inside_recovery: false,
        descriptor: None,
    };
    let Role::Recover(mut first) = group.settle(&mut a, Some(failed()), now) else {
        panic!("a recovers")
    };
    assert!(matches!(first.next(&mut group, now), Action::Attempt(_)));
    first.attempt_failed(
        &mut group,
        AttemptError::give_up(io::Error::from_raw_os_error(libc::EACCES)),
        now,
    );
    // B's operation began after the cycle ended, and fails: B begins the
    // next one.
    let mut b = group.member();
    let Role::Recover(_second) = group.settle(&mut b, Some(failed()), now) else {
        panic!("b recovers")
    };
    assert_eq!(first.next(&mut group, now), Action::Done);
}
