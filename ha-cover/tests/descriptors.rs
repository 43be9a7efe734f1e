//! No leaks: the dead connection is closed on recovery. Alone in its test binary,
//! because it counts the descriptors of the whole process.

mod common;

use std::fs::File;

use common::{open_descriptors, scratch_file};
use ha_cover::fault::Plan;
use ha_cover::{Backoff, Builder};

#[test]
fn the_descriptor_count_is_the_same_after_a_thousand_recoveries() {
    let data: Vec<u8> = (0..1024u32).map(|i| i as u8).collect();
    let scratch = scratch_file(&data);
    for dup in [false, true] {
        let plan = Plan::new();
        let mut cover = Builder::new()
            .backoff(Backoff::none())
            .attach(
                plan.wrap(File::open(&scratch.path).unwrap()),
                ha_cover::reopen,
                (),
            )
            .unwrap();
        let mut other = if dup {
            Some(cover.dup().unwrap())
        } else {
            None
        };
        let mut buf = [0; 16];
        cover.read_exact_at(&mut buf, 0).unwrap();
        if let Some(other) = &mut other {
            other.read_exact_at(&mut buf, 0).unwrap();
        }
        let before = open_descriptors();
        for i in 0..1000u64 {
            plan.kill(libc::ENOTCONN);
            let offset = (i * 16) % data.len() as u64;
            cover.read_exact_at(&mut buf, offset).unwrap();
            assert_eq!(buf[..], data[offset as usize..offset as usize + 16]);
            if let Some(other) = &mut other {
                other.read_exact_at(&mut buf, offset).unwrap();
            }
        }
        assert_eq!(cover.control().stats().recoveries, 1000);
        ha_cover::frontend::wait_for_closes();
        let after = open_descriptors();
        // A group with dups keeps a copy of the latest connection only until its
        // last member has moved to it.
        assert_eq!(after, before, "dup: {dup}");
    }
    dups_made_from_a_member_that_has_not_moved_move_too(&scratch.path, &data);
}

/// A dup made from a member still on the dead connection counts among those
/// the group's copy waits for; once all have moved, the copy is closed.
fn dups_made_from_a_member_that_has_not_moved_move_too(path: &std::path::Path, data: &[u8]) {
    let plan = Plan::new();
    let mut cover = Builder::new()
        .backoff(Backoff::none())
        .attach(plan.wrap(File::open(path).unwrap()), ha_cover::reopen, ())
        .unwrap();
    let mut behind = cover.dup().unwrap();
    let mut buf = [0; 16];
    let before = open_descriptors();
    plan.kill(libc::ENOTCONN);
    cover.read_exact_at(&mut buf, 0).unwrap();
    assert_eq!(cover.control().stats().recoveries, 1);
    let late = behind.dup().unwrap();
    behind.read_exact_at(&mut buf, 16).unwrap();
    assert_eq!(buf[..], data[16..32]);
    ha_cover::frontend::wait_for_closes();
    assert_eq!(
        open_descriptors(),
        before + 2,
        "the late dup, and the group's copy it has still to move to"
    );
    late.read_exact_at(&mut buf, 32).unwrap();
    assert_eq!(buf[..], data[32..48]);
    ha_cover::frontend::wait_for_closes();
    assert_eq!(open_descriptors(), before + 1, "the late dup's own only");
    assert_eq!(cover.control().stats().recoveries, 1);
}
