//! A member whose operation failed on a connection that was replaced two (or
//! more) recoveries ago must not be decided with the latest recovery's facts:
//! they describe another connection's death. An append would be credited
//! with another member's write, which landed on the later connection.
//!
//! Found by the simulation (`ha-cover/tests/simulation.rs`).

use std::io;
use std::time::Instant;

use ha_cover_engine::{
    Action, Cause, Config, Failed, Group, Kind, Member, Next, OpInfo, OpKind, Policy, Restored,
    Role,
};

fn aborted() -> Cause {
    Cause::Error(io::Error::from_raw_os_error(libc::ECONNABORTED))
}

/// `member`'s `op` failed with `cause`; it recovers, finding the dead
/// connection at `dead` and the file's end at `end`.
fn recover(group: &mut Group, member: &mut Member, op: OpInfo, dead: u64, end: u64) {
    let cause = aborted();
    let failed = Failed {
        op,
        cause: &cause,
        retransmission: false,
        inside_recovery: false,
        descriptor: None,
    };
    let now = Instant::now();
    let Role::Recover(mut recovery) = group.settle(member, Some(failed), now) else {
        panic!("no recovery in flight")
    };
    loop {
        match recovery.next(group, now) {
            Action::Attempt(_) => recovery.restored(
                group,
                Restored {
                    dead_position: Some(dead),
                    end: Some(end),
                    ..Restored::default()
                },
                now,
            ),
            Action::Install => recovery.installed(group, now),
            Action::Done => break,
            other => panic!("{other:?}"),
        }
    }
}

fn settle_and_decide(group: &mut Group, member: &mut Member, op: OpInfo) -> Next {
    let cause = aborted();
    let failed = Failed {
        op,
        cause: &cause,
        retransmission: false,
        inside_recovery: false,
        descriptor: None,
    };
    assert!(matches!(
        group.settle(member, Some(failed), Instant::now()),
        Role::Move
    ));
    group.decide(member, op, Some(cause))
}

#[test]
fn an_append_behind_two_recoveries_is_not_credited_with_the_latest_growth() {
    let mut group = Group::new(Config {
        kind: Kind::File,
        append: true,
        policy: Policy::default(),
        sink: None,
        seed: 5,
        name: None,
        target: ha_cover_engine::Target::Unknown,
    });
    let mut a = group.member();
    let mut b = group.member();
    let a_write = OpInfo::new(OpKind::Write, 24);
    let b_write = OpInfo::new(OpKind::Write, 24);

    // The file is 100 bytes long. The server dies; A's append fails without
    // landing, and so does B's pread, which recovers: nothing grew.
    let pread = OpInfo::new(OpKind::ReadAt, 0);
    recover(&mut group, &mut b, pread, 100, 100);
    assert!(matches!(
        settle_and_decide(&mut group, &mut b, pread),
        Next::Resend
    ));
    // Before A settles, B's append lands on the new connection (24 bytes),
    // the server dies before answering, and B recovers again: the file grew
    // by B's 24 bytes.
    recover(&mut group, &mut b, b_write, 100, 124);
    // A's append, whose connection died two recoveries ago, did not land.
    match settle_and_decide(&mut group, &mut a, a_write) {
        Next::Landed(n) => panic!("A's append was credited with {n} bytes it never wrote"),
        Next::Resend | Next::Fail(_) => {}
        Next::Eof => panic!("end-of-file for a write"),
    }
    // B's own is credited to it.
    assert!(matches!(
        settle_and_decide(&mut group, &mut b, b_write),
        Next::Landed(24)
    ));
}
