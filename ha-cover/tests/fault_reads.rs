//! Reads across failures at every point: the bytes delivered are the file's bytes,
//! nothing lost, nothing repeated.

mod common;

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};

use common::{OffsetHandle, bytes, read_in_chunks, scratch_file};
use ha_cover::fault::{Fault, Faulty, Plan};
use ha_cover::{AttemptError, Backoff, Builder, Cover, Failure};

const DEATHS: [Fault; 5] = [
    Fault::Die(libc::ENOTCONN),
    Fault::Die(libc::ESTALE),
    Fault::Die(libc::EBADF),
    Fault::DieAfter(libc::ENOTCONN),
    Fault::Fail(libc::ENOTCONN),
];

fn builder() -> Builder {
    Builder::new().backoff(Backoff::none())
}

/// QNX's recovery function: reopen, seek to the offset the handle kept, count.
fn recover_by_handle(
    failure: &Failure<'_, Faulty<File>>,
    handle: &mut OffsetHandle,
) -> Result<Faulty<File>, AttemptError> {
    failure.reopen_at(handle.offset)
}

#[test]
fn every_failure_point_in_a_read_sequence_delivers_the_file_exactly() {
    let data = bytes(300, 7);
    let scratch = scratch_file(&data);
    for chunk in [1, 7, 64, 4096] {
        let reads = data.len().div_ceil(chunk) as u64 + 1;
        for at in 0..reads {
            for fault in DEATHS {
                for reopen_failures in [0, 2] {
                    let plan = Plan::new()
                        .at(at, fault)
                        .fail_reopens(reopen_failures, libc::ENOENT);
                    let file = plan.wrap(File::open(&scratch.path).unwrap());
                    let mut by_position =
                        builder().attach(file, ha_cover::reopen_seek, ()).unwrap();
                    let got = read_in_chunks(&mut by_position, chunk).unwrap();
                    assert_eq!(
                        got, data,
                        "kernel position; chunk {chunk}, {fault:?} at read {at}, {reopen_failures} failed reopens"
                    );
                    assert_eq!(by_position.control().stats().recoveries, 1);
                    assert_eq!(plan.reopens(), 1 + reopen_failures as u64);

                    let plan = Plan::new()
                        .at(at, fault)
                        .fail_reopens(reopen_failures, libc::ENOENT);
                    let file = plan.wrap(File::open(&scratch.path).unwrap());
                    let mut by_handle = builder()
                        .attach(file, recover_by_handle, OffsetHandle::default())
                        .unwrap();
                    let got = read_in_chunks(&mut by_handle, chunk).unwrap();
                    assert_eq!(
                        got, data,
                        "handle offset; chunk {chunk}, {fault:?} at read {at}"
                    );
                    assert_eq!(by_handle.with_handle(|h| h.offset), data.len() as u64);
                    assert_eq!(by_handle.with_handle(|h| h.recoveries), 1);
                }
            }
        }
    }
}

#[test]
fn a_failure_right_after_each_recovery_is_recovered_again() {
    let data = bytes(200, 11);
    let scratch = scratch_file(&data);
    for at in 0..10 {
        // Three deaths in a row: each recovery's seek (operation at + 1, at + 3)
        // succeeds, and the retransmitted read on the new connection dies again.
        let plan = Plan::new()
            .at(at, Fault::Die(libc::ENOTCONN))
            .at(at + 2, Fault::Die(libc::ENOTCONN))
            .at(at + 4, Fault::DieAfter(libc::ESTALE));
        let file = plan.wrap(File::open(&scratch.path).unwrap());
        let mut cover = builder().attach(file, ha_cover::reopen_seek, ()).unwrap();
        assert_eq!(
            read_in_chunks(&mut cover, 16).unwrap(),
            data,
            "deaths from read {at}"
        );
        assert_eq!(cover.control().stats().recoveries, 3);
    }
}

#[test]
fn a_failure_inside_the_recovery_function_is_a_failed_attempt_not_a_recursion() {
    let data = bytes(200, 12);
    let scratch = scratch_file(&data);
    // Operation 4 fails; operation 5 is the seek inside the recovery function.
    let plan = Plan::new()
        .at(4, Fault::Die(libc::ENOTCONN))
        .at(5, Fault::Die(libc::ENOTCONN));
    let file = plan.wrap(File::open(&scratch.path).unwrap());
    let mut cover = builder().attach(file, ha_cover::reopen_seek, ()).unwrap();
    assert_eq!(read_in_chunks(&mut cover, 16).unwrap(), data);
    let stats = cover.control().stats();
    assert_eq!(
        (stats.failures, stats.recoveries, stats.attempts),
        (1, 1, 2)
    );
    assert_eq!(plan.reopens(), 2);
}

#[test]
fn interrupted_and_short_reads_are_not_failures() {
    let data = bytes(100, 3);
    let scratch = scratch_file(&data);
    let plan = Plan::new()
        .at(1, Fault::Fail(libc::EINTR))
        .at(2, Fault::Short(3))
        .at(4, Fault::Fail(libc::EINTR));
    let mut cover = builder()
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            ha_cover::reopen_seek,
            (),
        )
        .unwrap();
    assert_eq!(read_in_chunks(&mut cover, 10).unwrap(), data);
    let stats = cover.control().stats();
    assert_eq!((stats.failures, stats.recoveries), (0, 0));
}

#[test]
fn errors_outside_the_trigger_set_come_back_unchanged() {
    let scratch = scratch_file(b"abc");
    let plan = Plan::new().at(0, Fault::Fail(libc::EIO));
    let mut cover = builder()
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            ha_cover::reopen_seek,
            (),
        )
        .unwrap();
    let err = cover.read(&mut [0; 3]).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EIO));
    assert_eq!(cover.control().stats().failures, 0);
    // A policy can make EIO a trigger (NFS soft mounts report timeouts so).
    let plan = Plan::new().at(0, Fault::Die(libc::EIO));
    let mut cover = builder()
        .triggers(ha_cover::Triggers::files().with(libc::EIO))
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            ha_cover::reopen_seek,
            (),
        )
        .unwrap();
    assert_eq!(read_in_chunks(&mut cover, 2).unwrap(), b"abc");
    assert_eq!(cover.control().stats().recoveries, 1);
}

#[test]
fn bufreader_lines_and_seeks_survive_failures() {
    let text: String = (0..200).map(|i| format!("line {i}\n")).collect();
    let scratch = scratch_file(text.as_bytes());
    for at in 0..12 {
        let plan = Plan::new()
            .at(at, Fault::Die(libc::ENOTCONN))
            .at(at + 5, Fault::DieAfter(libc::ESTALE));
        let file = plan.wrap(File::open(&scratch.path).unwrap());
        let cover = builder()
            .attach(file, recover_by_handle, OffsetHandle::default())
            .unwrap();
        let mut reader = BufReader::with_capacity(64, cover);
        let mut lines = Vec::new();
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 0 {
            lines.push(std::mem::take(&mut line));
            if lines.len() == 50 {
                // A seek back through the cover, also across failures.
                reader.seek(SeekFrom::Start(0)).unwrap();
                lines.clear();
                for _ in 0..50 {
                    reader.read_line(&mut line).unwrap();
                    lines.push(std::mem::take(&mut line));
                }
            }
        }
        assert_eq!(lines.concat(), text, "deaths at {at} and {}", at + 5);
    }
}

#[test]
fn positioned_reads_are_retransmitted_with_their_offset() {
    let data = bytes(4096, 5);
    let scratch = scratch_file(&data);
    for at in 0..8 {
        let plan = Plan::new().at(at, Fault::Die(libc::ENOTCONN));
        let cover = builder()
            .attach(
                plan.wrap(File::open(&scratch.path).unwrap()),
                ha_cover::reopen,
                (),
            )
            .unwrap();
        for (i, offset) in [4000u64, 0, 1234, 17, 2048, 3000, 99, 512]
            .into_iter()
            .enumerate()
        {
            let mut buf = [0; 64];
            let n = cover.read_at(&mut buf, offset).unwrap();
            let end = (offset as usize + 64).min(data.len());
            assert_eq!(
                &buf[..n],
                &data[offset as usize..end],
                "read_at #{i}, death at {at}"
            );
        }
        assert_eq!(cover.control().stats().recoveries, 1);
    }
}

#[test]
fn vectored_reads_fill_every_buffer_across_a_failure() {
    let data = bytes(1000, 9);
    let scratch = scratch_file(&data);
    let plan = Plan::new().at(3, Fault::Die(libc::ENOTCONN));
    let mut cover = builder()
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            ha_cover::reopen_seek,
            (),
        )
        .unwrap();
    let mut got = Vec::new();
    loop {
        let (mut a, mut b) = ([0u8; 13], [0u8; 29]);
        let n = cover
            .read_vectored(&mut [
                std::io::IoSliceMut::new(&mut a),
                std::io::IoSliceMut::new(&mut b),
            ])
            .unwrap();
        if n == 0 {
            break;
        }
        let both: Vec<u8> = a.iter().chain(b.iter()).copied().collect();
        got.extend_from_slice(&both[..n]);
    }
    assert_eq!(got, data);
}

#[test]
fn std_generic_code_recovers_unchanged() {
    let data = bytes(10_000, 13);
    let scratch = scratch_file(&data);
    let plan = Plan::new()
        .at(1, Fault::Die(libc::ENOTCONN))
        .at(3, Fault::Die(libc::ESTALE));
    let mut cover = builder()
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            ha_cover::reopen_seek,
            (),
        )
        .unwrap();
    let mut copy = Vec::new();
    std::io::copy(&mut cover, &mut copy).unwrap();
    assert_eq!(copy, data);
    assert_eq!(cover.control().stats().recoveries, 2);
}

#[test]
fn the_handle_sees_every_transfer_and_every_recovery() {
    let data = bytes(500, 17);
    let scratch = scratch_file(&data);
    let plan = Plan::new().at(2, Fault::Die(libc::ENOTCONN));
    let mut cover = Cover::builder()
        .backoff(Backoff::none())
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            recover_by_handle,
            OffsetHandle::default(),
        )
        .unwrap();
    let mut buf = [0; 100];
    cover.read_exact(&mut buf).unwrap();
    assert_eq!(cover.with_handle(|h| h.offset), 100);
    cover.seek(SeekFrom::Start(450)).unwrap();
    assert_eq!(cover.with_handle(|h| h.offset), 450);
    let n = cover.read(&mut buf).unwrap();
    assert_eq!((n, &buf[..n]), (50, &data[450..]));
    assert_eq!(cover.with_handle(|h| h.offset), 500);
    assert_eq!(cover.with_handle(|h| h.recoveries), 1);
}

#[test]
fn the_handle_starts_at_the_position_of_an_attached_file() {
    let data = bytes(100, 21);
    let scratch = scratch_file(&data);
    let mut file = File::open(&scratch.path).unwrap();
    file.seek(SeekFrom::Start(40)).unwrap();
    let plan = Plan::new().at(0, Fault::Die(libc::ENOTCONN));
    let mut cover = builder()
        .attach(plan.wrap(file), recover_by_handle, OffsetHandle::default())
        .unwrap();
    assert_eq!(cover.with_handle(|h| h.offset), 40);
    let mut buf = [0; 10];
    cover.read_exact(&mut buf).unwrap();
    assert_eq!(
        buf,
        data[40..50],
        "recovered to the handle's offset, where the file was"
    );
}

#[test]
fn the_handle_of_an_append_file_starts_at_its_end() {
    let scratch = scratch_file(b"0123456789");
    let options = std::fs::OpenOptions::new().append(true).clone();
    let cover = Cover::open_with(
        &scratch.path,
        &options,
        ha_cover::reopen,
        OffsetHandle::default(),
    )
    .unwrap();
    assert_eq!(cover.with_handle(|h| h.offset), 10);
}

/// A file opened to read and append (a journal replayed, then appended
/// to) reads from where std's does, its start, and a death in the middle
/// of its reading goes on where the reads were: the new connection is not
/// put at the end, where an append-mode file's is. An append that then
/// meets a death before a recovery found the position at the end cannot
/// be told from the size, and is indeterminate. Before, the cover started
/// at the end (reading nothing) and a recovery put it there (the rest of
/// the file was never read).
#[test]
fn a_file_opened_to_read_and_append_reads_all_of_it_across_deaths() {
    let data = bytes(5000, 17);
    for at in 0..10 {
        for fault in DEATHS {
            let scratch = scratch_file(&data);
            let plan = Plan::new().at(at, fault);
            let file = std::fs::OpenOptions::new()
                .read(true)
                .append(true)
                .open(&scratch.path)
                .unwrap();
            let mut cover = builder()
                .attach(plan.wrap(file), ha_cover::reopen_seek, ())
                .unwrap();
            let got = read_in_chunks(&mut cover, 700).unwrap();
            assert!(got == data, "{fault:?} at {at}: {} bytes", got.len());
            let appended = std::io::Write::write_all(&mut cover, b"appended");
            drop(cover);
            let mut whole = data.clone();
            whole.extend_from_slice(b"appended");
            let file = std::fs::read(&scratch.path).unwrap();
            match appended {
                Ok(()) => assert!(file == whole, "{fault:?} at {at}"),
                // Reads moved the position off the end since the file was
                // opened: the size does not say whether the append landed.
                Err(e) => {
                    assert!(ha_cover::is_indeterminate(&e), "{fault:?} at {at}: {e}");
                    assert!(file == whole || file == data, "{fault:?} at {at}");
                }
            }
        }
    }
}
