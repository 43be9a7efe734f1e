//! An append-mode file's position is where its last append ended, and a
//! failed append's fate is read from how far the file grew past it; unless
//! the client seeked since: the position then says nothing about the end,
//! and the append must not be credited with the difference.
//!
//! Found by the simulation (`ha-cover/tests/simulation.rs`) once its append
//! workloads seeked.

use std::io;
use std::time::Instant;

use ha_cover_engine::{
    Action, Cause, Config, Failed, Group, Member, Next, OpInfo, OpKind, Policy, Restored, Role,
};

fn aborted() -> Cause {
    Cause::Error(io::Error::from_raw_os_error(libc::ENOTCONN))
}

/// `member`'s `op` fails; the recovery finds the dead connection at `dead` and
/// the file's end at `end`; then the member decides what became of `op`.
fn fail_and_recover(
    group: &mut Group,
    member: &mut Member,
    op: OpInfo,
    dead: u64,
    end: u64,
) -> Next {
    let cause = aborted();
    let failed = || Failed {
        op,
        cause: &cause,
        retransmission: false,
        inside_recovery: false,
        descriptor: None,
    };
    let now = Instant::now();
    let Role::Recover(mut recovery) = group.settle(member, Some(failed()), now) else {
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
    assert!(matches!(
        group.settle(member, Some(failed()), now),
        Role::Move
    ));
    group.decide(member, op, Some(aborted()))
}

fn append_group() -> Group {
    Group::new(Config {
        kind: ha_cover_engine::Kind::File,
        append: true,
        policy: Policy::default(),
        sink: None,
        seed: 7,
        name: None,
        target: ha_cover_engine::Target::Unknown,
    })
}

#[test]
fn an_append_after_a_seek_is_not_credited_with_the_distance_to_the_end() {
    let mut group = append_group();
    let mut member = group.member();
    let append = OpInfo::new(OpKind::Write, 30);
    // The file is 100 bytes long; the client seeks to 80 and its append fails
    // without landing: the dead position (80) is not where the file ended.
    group.note_seek();
    match fail_and_recover(&mut group, &mut member, append, 80, 100) {
        Next::Landed(n) => panic!("credited with {n} bytes it never wrote"),
        Next::Resend | Next::Fail(_) => {}
        Next::Eof => panic!("end-of-file for a write"),
    }
    // The recovery put the new connection at the end: the next failed append
    // is read from the size again.
    assert!(matches!(
        fail_and_recover(&mut group, &mut member, append, 100, 130),
        Next::Landed(30)
    ));
}

#[test]
fn without_a_seek_a_landed_append_is_credited() {
    let mut group = append_group();
    let mut member = group.member();
    let append = OpInfo::new(OpKind::Write, 30);
    assert!(matches!(
        fail_and_recover(&mut group, &mut member, append, 80, 110),
        Next::Landed(30)
    ));
}
