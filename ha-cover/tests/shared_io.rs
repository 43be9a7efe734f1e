//! Sequential I/O through `&Cover` (`Read` and `Write` for `&Cover`, as std
//! has them for `&File`): threads that share one cover read or write it at
//! its one file position, and a recovery serves them all. Deaths come from
//! the fault-injection connection, which keeps a dead descriptor dead until
//! something is put in its place.

mod common;

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::sync::{Arc, Barrier};
use std::thread;

use common::{OffsetHandle, scratch_file};
use ha_cover::fault::{Fault, Faulty, Plan};
use ha_cover::{AttemptError, Backoff, Builder, Cover, Failure, is_indeterminate};

const THREADS: usize = 4;
const WORD: usize = 8;

/// A file of little-endian word numbers: what a read returns says where it
/// was read from.
fn numbered(words: usize) -> Vec<u8> {
    (0..words as u64).flat_map(u64::to_le_bytes).collect()
}

/// Reads `cover` to its end from `THREADS` threads at once, each read of
/// `chunk` bytes (whole words), and returns what each read returned.
fn read_in_turns<H: ha_cover::Recoverable>(
    cover: &Arc<Cover<Faulty<File>, H>>,
    chunk: usize,
) -> Vec<Vec<u8>> {
    let start = Arc::new(Barrier::new(THREADS));
    let threads: Vec<_> = (0..THREADS)
        .map(|_| {
            let (cover, start) = (Arc::clone(cover), Arc::clone(&start));
            thread::spawn(move || {
                start.wait();
                let mut reads = Vec::new();
                let mut buf = vec![0; chunk];
                loop {
                    match (&*cover).read(&mut buf).unwrap() {
                        0 => return reads,
                        n => reads.push(buf[..n].to_vec()),
                    }
                }
            })
        })
        .collect();
    threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect()
}

/// Every word of a file of `words` numbered words, read once: the reads,
/// put where their first word says, tile the file with no gap and no
/// overlap.
fn assert_each_word_once(reads: &[Vec<u8>], words: usize) {
    let mut seen = vec![0u32; words];
    for read in reads {
        assert_eq!(read.len() % WORD, 0, "a read of part of a word");
        let first = u64::from_le_bytes(read[..WORD].try_into().unwrap()) as usize;
        for (i, word) in read.chunks(WORD).enumerate() {
            let n = u64::from_le_bytes(word.try_into().unwrap()) as usize;
            assert_eq!(n, first + i, "a read that is not one run of the file");
            seen[n] += 1;
        }
    }
    let wrong: Vec<_> = seen
        .iter()
        .enumerate()
        .filter(|(_, count)| **count != 1)
        .take(5)
        .collect();
    assert!(wrong.is_empty(), "words read other than once: {wrong:?}");
}

#[test]
fn threads_read_one_file_in_turns_across_deaths_each_byte_once() {
    let words = 4096;
    let scratch = scratch_file(&numbered(words));
    let plan = Plan::new()
        .at(40, Fault::Die(libc::ENOTCONN))
        .at(200, Fault::Die(libc::ENOTCONN))
        .at(400, Fault::Die(libc::ESTALE));
    let cover: Cover<Faulty<File>> = Builder::new()
        .backoff(Backoff::none())
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            ha_cover::reopen_seek,
            (),
        )
        .unwrap();
    let cover = Arc::new(cover);
    let reads = read_in_turns(&cover, 8 * WORD);
    assert_each_word_once(&reads, words);
    let stats = cover.control().stats();
    assert_eq!(stats.recoveries, 3, "one recovery per death: {stats:?}");
    assert_eq!(plan.reopens(), 3);
}

fn reopen_at_handle(
    failure: &Failure<'_, Faulty<File>>,
    handle: &mut OffsetHandle,
) -> Result<Faulty<File>, AttemptError> {
    failure.reopen_at(handle.offset)
}

/// A handle that follows the position sees every transfer before a recovery
/// reads it: the file is read once though the recovery seeks to the handle's
/// offset, not to the dead description's.
#[test]
fn a_handle_that_follows_the_position_sees_shared_reads_in_order() {
    let words = 8192;
    let scratch = scratch_file(&numbered(words));
    let mut plan = Plan::new();
    for death in 1..=8 {
        plan = plan.at(death * 150, Fault::Die(libc::ENOTCONN));
    }
    let cover = Builder::new()
        .backoff(Backoff::none())
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            reopen_at_handle,
            OffsetHandle::default(),
        )
        .unwrap();
    let cover = Arc::new(cover);
    let reads = read_in_turns(&cover, 4 * WORD);
    assert_each_word_once(&reads, words);
    assert_eq!(cover.with_handle(|h| h.offset), (words * WORD) as u64);
    assert_eq!(cover.control().stats().recoveries, 8);
}

/// Writes `records` numbered records of `RECORD` bytes from `THREADS`
/// threads through one shared cover.
const RECORD: usize = 16;

fn record(thread: usize, i: usize) -> [u8; RECORD] {
    let mut r = [b'.'; RECORD];
    let text = format!("t{thread} r{i:05}");
    r[..text.len()].copy_from_slice(text.as_bytes());
    r[RECORD - 1] = b'\n';
    r
}

fn write_in_turns<H: ha_cover::Recoverable>(
    cover: &Arc<Cover<Faulty<File>, H>>,
    per_thread: usize,
) {
    let start = Arc::new(Barrier::new(THREADS));
    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let (cover, start) = (Arc::clone(cover), Arc::clone(&start));
            thread::spawn(move || {
                start.wait();
                for i in 0..per_thread {
                    (&*cover).write_all(&record(t, i)).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

/// The file holds every record once, whole, in some order.
fn assert_each_record_once(file: &[u8], per_thread: usize) {
    assert_eq!(file.len(), THREADS * per_thread * RECORD, "the file's size");
    let mut found: Vec<&[u8]> = file.chunks(RECORD).collect();
    found.sort();
    let mut expected: Vec<[u8; RECORD]> = (0..THREADS)
        .flat_map(|t| (0..per_thread).map(move |i| record(t, i)))
        .collect();
    expected.sort();
    let expected: Vec<&[u8]> = expected.iter().map(|r| &r[..]).collect();
    assert!(found == expected, "records lost, doubled or torn");
}

#[test]
fn threads_write_one_file_in_turns_across_deaths_each_record_once() {
    let per_thread = 200;
    let scratch = scratch_file(b"");
    // Deaths before the write reached the server and after (it wrote, its
    // answer was lost): both are sent again at the same position.
    let plan = Plan::new()
        .at(60, Fault::Die(libc::ENOTCONN))
        .at(300, Fault::DieAfter(libc::ENOTCONN))
        .at(500, Fault::Die(libc::ENOTCONN));
    let file = OpenOptions::new().write(true).open(&scratch.path).unwrap();
    let cover: Cover<Faulty<File>> = Builder::new()
        .backoff(Backoff::none())
        .attach(plan.wrap(file), ha_cover::reopen_seek, ())
        .unwrap();
    let cover = Arc::new(cover);
    write_in_turns(&cover, per_thread);
    assert_each_record_once(&std::fs::read(&scratch.path).unwrap(), per_thread);
    let stats = cover.control().stats();
    assert_eq!(stats.recoveries, 3, "{stats:?}");
    assert_eq!(stats.indeterminate, 0, "{stats:?}");
}

#[test]
fn threads_append_through_a_shared_cover_across_deaths_each_record_once() {
    let per_thread = 200;
    let scratch = scratch_file(b"");
    // The appends that die after the server wrote them land; the cover must
    // tell that from the size, which it can only when that append was the
    // one under way.
    let plan = Plan::new()
        .at(60, Fault::DieAfter(libc::ENOTCONN))
        .at(300, Fault::Die(libc::ENOTCONN))
        .at(500, Fault::DieAfter(libc::ENOTCONN));
    let file = OpenOptions::new().append(true).open(&scratch.path).unwrap();
    let cover: Cover<Faulty<File>> = Builder::new()
        .backoff(Backoff::none())
        .attach(plan.wrap(file), ha_cover::reopen, ())
        .unwrap();
    let cover = Arc::new(cover);
    write_in_turns(&cover, per_thread);
    assert_each_record_once(&std::fs::read(&scratch.path).unwrap(), per_thread);
    let stats = cover.control().stats();
    assert_eq!(stats.recoveries, 3, "{stats:?}");
    assert_eq!(stats.indeterminate, 0, "{stats:?}");
}

/// A plain reopen, once the other threads have met the death too.
fn reopen_slowly(
    failure: &Failure<'_, Faulty<File>>,
    _: &mut (),
) -> Result<Faulty<File>, AttemptError> {
    thread::sleep(std::time::Duration::from_millis(200));
    failure.reopen()
}

/// A write that failed on a description another thread's recovery replaced
/// is decided with that recovery's facts: with the position lost (a plain
/// reopen puts the new description at 0), sending it again would write it
/// at the wrong place; the caller is told it is indeterminate, and the file
/// is left as the recovery found it.
#[test]
fn writes_that_failed_on_a_description_reopened_at_0_are_indeterminate() {
    let scratch = scratch_file(b"");
    let plan = Plan::new();
    let file = OpenOptions::new().write(true).open(&scratch.path).unwrap();
    let cover: Cover<Faulty<File>> = Builder::new()
        .backoff(Backoff::none())
        .attach(plan.wrap(file), reopen_slowly, ())
        .unwrap();
    let cover = Arc::new(cover);
    (&*cover).write_all(b"0123456789").unwrap();
    // Every writer meets the death while the first to settle it recovers.
    plan.kill(libc::ENOTCONN);
    let start = Arc::new(Barrier::new(THREADS));
    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let (cover, start) = (Arc::clone(&cover), Arc::clone(&start));
            thread::spawn(move || {
                start.wait();
                (&*cover).write(format!("[{t}]").as_bytes())
            })
        })
        .collect();
    for result in threads.into_iter().map(|t| t.join().unwrap()) {
        let e = result.expect_err("a write sent again at the position a reopen left");
        assert!(is_indeterminate(&e), "{e}");
    }
    assert_eq!(std::fs::read(&scratch.path).unwrap(), b"0123456789");
    let stats = cover.control().stats();
    assert_eq!(stats.recoveries, 1, "{stats:?}");
    assert_eq!(stats.indeterminate, THREADS as u64, "{stats:?}");
}
