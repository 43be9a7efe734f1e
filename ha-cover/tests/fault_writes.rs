//! Writes across failures at every point: the file ends up exactly as written, no
//! holes and no repeated ranges, and a write is sent again only where that is
//! idempotent.

mod common;

use std::fs::{File, OpenOptions};
use std::io::Write;

use common::{bytes, scratch_file};
use ha_cover::fault::{Fault, Plan};
use ha_cover::{Backoff, Builder};

const DEATHS: [Fault; 3] = [
    Fault::Die(libc::ENOTCONN),
    Fault::DieAfter(libc::ENOTCONN),
    Fault::DieAfter(libc::ESTALE),
];

fn builder() -> Builder {
    Builder::new().backoff(Backoff::none())
}

fn open_rw(path: &std::path::Path, append: bool) -> File {
    OpenOptions::new()
        .read(!append)
        .write(true)
        .append(append)
        .open(path)
        .unwrap()
}

#[test]
fn every_failure_point_in_positioned_writes_leaves_the_file_as_written() {
    let size = 512;
    let writes: Vec<(u64, Vec<u8>)> = (0..24)
        .map(|i| ((i * 37 % size) as u64, bytes(1 + i * 7 % 40, i as u64 + 1)))
        .collect();
    let mut expected = vec![0u8; size + 64];
    for (offset, chunk) in &writes {
        expected[*offset as usize..*offset as usize + chunk.len()].copy_from_slice(chunk);
    }
    for at in 0..writes.len() as u64 + 2 {
        for fault in DEATHS.into_iter().chain([Fault::Short(3)]) {
            let scratch = scratch_file(&vec![0u8; size + 64]);
            let plan = Plan::new().at(at, fault).fail_reopens(1, libc::ENOENT);
            let cover = builder()
                .attach(
                    plan.wrap(open_rw(&scratch.path, false)),
                    ha_cover::reopen,
                    (),
                )
                .unwrap();
            for (offset, chunk) in &writes {
                cover.write_all_at(chunk, *offset).unwrap();
            }
            drop(cover);
            assert_eq!(
                std::fs::read(&scratch.path).unwrap(),
                expected,
                "{fault:?} at write {at}"
            );
        }
    }
}

#[test]
fn every_failure_point_in_sequential_writes_leaves_the_file_as_written() {
    let data = bytes(1000, 21);
    for chunk in [1, 64, 333] {
        let writes = data.len().div_ceil(chunk) as u64;
        for at in 0..writes {
            for fault in DEATHS
                .into_iter()
                .chain([Fault::Short(5), Fault::Fail(libc::EINTR)])
            {
                let scratch = scratch_file(b"");
                let plan = Plan::new().at(at, fault);
                let mut cover = builder()
                    .attach(
                        plan.wrap(open_rw(&scratch.path, false)),
                        ha_cover::reopen_seek,
                        (),
                    )
                    .unwrap();
                for piece in data.chunks(chunk) {
                    cover.write_all(piece).unwrap();
                }
                drop(cover);
                assert_eq!(
                    std::fs::read(&scratch.path).unwrap(),
                    data,
                    "chunk {chunk}, {fault:?} at write {at}"
                );
            }
        }
    }
}

#[test]
fn a_write_is_not_sent_again_when_recovery_moved_the_position() {
    let scratch = scratch_file(b"");
    // `reopen` without a seek puts the new connection at offset 0, not where the
    // failed write belonged: resending it there would overwrite the start.
    let plan = Plan::new().at(1, Fault::DieAfter(libc::ENOTCONN));
    let mut cover = builder()
        .attach(
            plan.wrap(open_rw(&scratch.path, false)),
            ha_cover::reopen,
            (),
        )
        .unwrap();
    cover.write_all(b"first ").unwrap();
    let err = cover.write_all(b"second").unwrap_err();
    assert!(ha_cover::is_indeterminate(&err), "{err}");
    let indeterminate = err
        .get_ref()
        .unwrap()
        .downcast_ref::<ha_cover::Indeterminate>()
        .unwrap();
    assert_eq!(
        (indeterminate.unanswered, indeterminate.errno),
        (6, Some(libc::ENOTCONN))
    );
    assert_eq!(cover.control().stats().indeterminate, 1);
    assert_eq!(
        std::fs::read(&scratch.path).unwrap(),
        b"first second",
        "the server had written it; nothing was repeated"
    );
}

#[test]
fn an_append_is_sent_again_only_when_it_did_not_land() {
    let data = bytes(600, 31);
    for chunk in [1, 50, 600] {
        let writes = data.len().div_ceil(chunk) as u64;
        for at in 0..writes {
            for fault in DEATHS.into_iter().chain([Fault::Short(7)]) {
                let scratch = scratch_file(b"prefix:");
                let plan = Plan::new().at(at, fault);
                let mut cover = builder()
                    .attach(
                        plan.wrap(open_rw(&scratch.path, true)),
                        ha_cover::reopen,
                        (),
                    )
                    .unwrap();
                for piece in data.chunks(chunk) {
                    cover.write_all(piece).unwrap();
                }
                drop(cover);
                let mut expected = b"prefix:".to_vec();
                expected.extend_from_slice(&data);
                assert_eq!(
                    std::fs::read(&scratch.path).unwrap(),
                    expected,
                    "chunk {chunk}, {fault:?} at append {at}"
                );
            }
        }
    }
}

#[test]
fn an_append_whose_file_grew_elsewhere_is_indeterminate() {
    let scratch = scratch_file(b"");
    let path = scratch.path.clone();
    let plan = Plan::new().at(1, Fault::Die(libc::ENOTCONN));
    let mut cover = builder()
        .attach(
            plan.wrap(open_rw(&scratch.path, true)),
            move |failure: &ha_cover::Failure<'_, _>, _: &mut ()| {
                // Another writer appends while the server is down.
                std::fs::OpenOptions::new()
                    .append(true)
                    .open(&path)
                    .unwrap()
                    .write_all(b"theirs")
                    .unwrap();
                failure.reopen()
            },
            (),
        )
        .unwrap();
    cover.write_all(b"mine ").unwrap();
    let err = cover.write_all(b"again").unwrap_err();
    assert!(ha_cover::is_indeterminate(&err), "{err}");
    assert_eq!(std::fs::read(&scratch.path).unwrap(), b"mine theirs");
}

#[test]
fn sync_is_retransmitted_after_recovery() {
    let scratch = scratch_file(b"");
    let plan = Plan::new().at(1, Fault::Die(libc::ENOTCONN));
    let mut cover = builder()
        .attach(
            plan.wrap(open_rw(&scratch.path, false)),
            ha_cover::reopen_seek,
            (),
        )
        .unwrap();
    cover.write_all(b"durable").unwrap();
    cover.sync_all().unwrap();
    cover.sync_data().unwrap();
    assert_eq!(cover.control().stats().recoveries, 1);
    assert_eq!(std::fs::read(&scratch.path).unwrap(), b"durable");
}

#[test]
fn a_write_on_a_read_only_file_is_the_callers_mistake_not_a_death() {
    let scratch = scratch_file(b"abc");
    let mut cover = ha_cover::Cover::open(&scratch.path, ha_cover::reopen_seek, ()).unwrap();
    let err = cover.write(b"x").unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EBADF));
    assert_eq!(
        cover.control().stats().failures,
        0,
        "EBADF from the access mode must not trigger recovery"
    );
}

#[test]
fn create_never_truncates_on_recovery() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("created");
    let mut cover = ha_cover::Cover::create(&path, ha_cover::reopen_seek, ()).unwrap();
    cover.write_all(b"kept").unwrap();
    let flags = cover.control().origin().reopen_flags().unwrap();
    assert_eq!(flags & (libc::O_CREAT | libc::O_TRUNC | libc::O_EXCL), 0);
    assert_eq!(flags & libc::O_ACCMODE, libc::O_WRONLY);
    // A recovery through the real reopen helper keeps what was written.
    let plan = Plan::new().at(0, Fault::Die(libc::ESTALE));
    let file = plan.wrap(OpenOptions::new().write(true).open(&path).unwrap());
    let mut cover = builder().attach(file, ha_cover::reopen_seek, ()).unwrap();
    cover.write_all(b"!").unwrap();
    drop(cover);
    assert_eq!(std::fs::read(&path).unwrap(), b"!ept");
}

/// Linux appends a `pwrite` to a file opened `O_APPEND`, whatever its
/// offset: one whose answer was lost after it landed is not the same bytes
/// at the same offset when sent again, but a second record.
#[test]
fn a_positioned_write_to_an_append_mode_file_that_landed_is_not_sent_again() {
    for fault in [Fault::DieAfter(libc::ENOTCONN), Fault::Die(libc::ENOTCONN)] {
        let scratch = scratch_file(b"head\n");
        let plan = Plan::new().at(1, fault);
        let mut cover = builder()
            .attach(
                plan.wrap(open_rw(&scratch.path, true)),
                ha_cover::reopen,
                (),
            )
            .unwrap();
        cover.write_all(b"one\n").unwrap();
        // Whether it landed is not known: the caller is told so.
        let err = cover.write_at(b"two\n", 0).unwrap_err();
        assert!(ha_cover::is_indeterminate(&err), "{fault:?}: {err}");
        cover.write_all(b"three\n").unwrap();
        drop(cover);
        let expected: &[u8] = match fault {
            Fault::DieAfter(_) => b"head\none\ntwo\nthree\n",
            _ => b"head\none\nthree\n",
        };
        let file = std::fs::read(&scratch.path).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&file),
            String::from_utf8_lossy(expected),
            "{fault:?}"
        );
    }
}

/// A `pwrite` appended to an `O_APPEND` file leaves the file position
/// behind the end: the next append that meets a death cannot take the
/// growth since that position for its own.
#[test]
fn an_append_after_a_positioned_append_is_not_credited_with_its_growth() {
    let scratch = scratch_file(b"");
    let plan = Plan::new().at(2, Fault::Die(libc::ENOTCONN));
    let mut cover = builder()
        .attach(
            plan.wrap(open_rw(&scratch.path, true)),
            ha_cover::reopen,
            (),
        )
        .unwrap();
    cover.write_all(b"one\n").unwrap();
    cover.write_all_at(b"two\n", 0).unwrap();
    // The file grew by 4 bytes since the position: not this append's doing.
    let err = cover.write_all(b"three\n").unwrap_err();
    assert!(ha_cover::is_indeterminate(&err), "{err}");
    cover.write_all(b"four\n").unwrap();
    drop(cover);
    let file = std::fs::read(&scratch.path).unwrap();
    assert_eq!(String::from_utf8_lossy(&file), "one\ntwo\nfour\n");
}
