//! No leaks for async covers: after any number of recoveries the process has
//! the descriptors it had before. Alone in its test binary, because it counts
//! the descriptors of the whole process.

mod common;

use common::{bytes, open_descriptors, scratch_file};
use ha_cover::Backoff;
use ha_cover::asynchronous::File;
use ha_cover::fault::Plan;

#[tokio::test(flavor = "current_thread")]
async fn the_descriptor_count_is_the_same_after_a_thousand_recoveries() {
    let data = bytes(1024, 21);
    let scratch = scratch_file(&data);
    for dup in [false, true] {
        let plan = Plan::new();
        let conn = plan.wrap(File::open(&scratch.path).await.unwrap());
        let mut cover = ha_cover::asynchronous::AsyncCover::builder()
            .backoff(Backoff::none())
            .attach(conn, ha_cover::asynchronous::reopen, ())
            .unwrap();
        let mut other = if dup {
            Some(cover.dup().unwrap())
        } else {
            None
        };
        let mut buf = [0; 16];
        let before = open_descriptors();
        for i in 0..1000u64 {
            plan.kill(libc::ENOTCONN);
            let offset = (i * 16) % data.len() as u64;
            cover.read_exact_at(&mut buf, offset).await.unwrap();
            assert_eq!(buf[..], data[offset as usize..offset as usize + 16]);
            if let Some(other) = &mut other {
                other.read_exact_at(&mut buf, offset).await.unwrap();
                assert_eq!(buf[..], data[offset as usize..offset as usize + 16]);
            }
        }
        assert_eq!(cover.control().stats().recoveries, 1000);
        ha_cover::frontend::wait_for_closes();
        assert_eq!(open_descriptors(), before, "dup: {dup}");
    }
}
