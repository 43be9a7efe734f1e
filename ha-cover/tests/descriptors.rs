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
        assert_eq!(cover.stats().recoveries, 1000);
        ha_cover::wait_for_closes();
        let after = open_descriptors();
        // A group with dups keeps the latest connection for members that have not
        // moved to it yet: one descriptor, which the first recovery adds.
        let kept = usize::from(dup);
        assert_eq!(after, before + kept, "dup: {dup}");
    }
}
