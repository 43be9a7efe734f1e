//! Dups: one group, one handle, one recovery for every member and thread.

mod common;

use std::fs::File;
use std::io::Read;
use std::sync::{Arc, Barrier, mpsc};
use std::time::Duration;

use common::{OffsetHandle, bytes, scratch_file};
use ha_cover::fault::{Faulty, Plan};
use ha_cover::{AttemptError, Backoff, Builder, Cover, Failure};

fn builder() -> Builder {
    Builder::new().backoff(Backoff::none())
}

/// A file whose every 4-byte word is its own index, so any word read says where
/// it came from.
fn counting_file(words: u32) -> (common::Scratch, Vec<u8>) {
    let data: Vec<u8> = (0..words).flat_map(u32::to_le_bytes).collect();
    (scratch_file(&data), data)
}

fn recover_by_handle(
    failure: &Failure<'_, Faulty<File>>,
    handle: &mut OffsetHandle,
) -> Result<Faulty<File>, AttemptError> {
    failure.reopen_at(handle.offset)
}

#[test]
fn dups_share_the_position_the_handle_and_one_recovery() {
    let data = bytes(1000, 1);
    let scratch = scratch_file(&data);
    let plan = Plan::new();
    let mut first = builder()
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            recover_by_handle,
            OffsetHandle::default(),
        )
        .unwrap();
    let mut second = first.dup().unwrap();
    let mut got = vec![0; 100];
    first.read_exact(&mut got[..50]).unwrap();
    second.read_exact(&mut got[50..]).unwrap();
    assert_eq!(got, data[..100], "dups share the file position");
    assert_eq!(first.with_handle(|h| h.offset), 100);

    plan.kill(libc::ENOTCONN);
    let mut more = vec![0; 100];
    second.read_exact(&mut more[..30]).unwrap();
    first.read_exact(&mut more[30..]).unwrap();
    assert_eq!(more, data[100..200]);
    assert_eq!(
        plan.reopens(),
        1,
        "the first member to fail recovered; the other moved to the new connection"
    );
    assert_eq!(first.control().stats().recoveries, 1);
    assert_eq!(second.with_handle(|h| h.recoveries), 1);
    assert_eq!(first.control().generation(), 1);
}

#[test]
fn members_close_independently_and_the_last_one_gets_the_handle() {
    let scratch = scratch_file(b"abcdef");
    let mut first = Cover::open(
        &scratch.path,
        ha_cover::reopen_seek,
        OffsetHandle::default(),
    )
    .unwrap();
    let mut second = first.dup().unwrap();
    let third = second.dup().unwrap();
    let (_, handle) = first.into_parts();
    assert!(handle.is_none(), "other members still use the handle");
    drop(third);
    let mut buf = [0; 3];
    second.read_exact(&mut buf).unwrap();
    let (_, handle) = second.into_parts();
    assert_eq!(handle.unwrap().offset, 3);
}

/// Runs `work` on `threads` threads, failing the test instead of hanging if they
/// do not all finish within `limit`.
fn run_bounded<T: Send + 'static>(
    threads: Vec<Box<dyn FnOnce() -> T + Send>>,
    limit: Duration,
) -> Vec<T> {
    let (done, results) = mpsc::channel();
    let count = threads.len();
    for (i, work) in threads.into_iter().enumerate() {
        let done = done.clone();
        std::thread::spawn(move || {
            let _ = done.send((i, work()));
        });
    }
    let mut out: Vec<Option<T>> = (0..count).map(|_| None).collect();
    for _ in 0..count {
        let (i, result) = results
            .recv_timeout(limit)
            .expect("a thread did not finish: deadlock?");
        out[i] = Some(result);
    }
    out.into_iter().map(Option::unwrap).collect()
}

#[test]
fn eight_threads_on_dups_through_one_death_make_exactly_one_recovery() {
    let (scratch, data) = counting_file(64 * 1024);
    let plan = Plan::new();
    let mut cover = builder()
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            ha_cover::reopen,
            (),
        )
        .unwrap();
    let barrier = Arc::new(Barrier::new(9));
    let mut threads: Vec<Box<dyn FnOnce() -> Vec<u8> + Send>> = Vec::new();
    for t in 0..8u64 {
        let member = cover.dup().unwrap();
        let barrier = Arc::clone(&barrier);
        let data = data.clone();
        threads.push(Box::new(move || {
            let mut buf = vec![0; 4096];
            let mut failures = Vec::new();
            for round in 0..64u64 {
                if round == 8 {
                    barrier.wait(); // every thread is mid-stream when the server dies
                    barrier.wait();
                }
                let offset = ((t * 64 + round) * 4096) % data.len() as u64;
                member.read_exact_at(&mut buf, offset).unwrap();
                if buf[..] != data[offset as usize..offset as usize + 4096] {
                    failures.push(round as u8);
                }
            }
            failures
        }));
    }
    let killer = {
        let barrier = Arc::clone(&barrier);
        let plan = plan.clone();
        std::thread::spawn(move || {
            barrier.wait();
            plan.kill(libc::ENOTCONN);
            barrier.wait();
        })
    };
    let results = run_bounded(threads, Duration::from_secs(30));
    killer.join().unwrap();
    assert!(
        results.iter().all(Vec::is_empty),
        "wrong bytes in rounds {results:?}"
    );
    assert_eq!(plan.reopens(), 1, "one recovery served all eight threads");
    assert_eq!(cover.control().stats().recoveries, 1);
    let mut tail = [0; 4];
    cover.read_exact(&mut tail).unwrap();
    assert_eq!(tail, 0u32.to_le_bytes());
}

#[test]
fn threads_sharing_a_position_read_every_word_exactly_once_across_deaths() {
    let words = 32 * 1024;
    let (scratch, _) = counting_file(words);
    let plan = Plan::new();
    let mut cover = builder()
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            recover_by_handle,
            OffsetHandle::default(),
        )
        .unwrap();
    let mut threads: Vec<Box<dyn FnOnce() -> Vec<u32> + Send>> = Vec::new();
    for _ in 0..8 {
        let mut member = cover.dup().unwrap();
        threads.push(Box::new(move || {
            let mut seen = Vec::new();
            let mut buf = [0; 256];
            loop {
                let n = member.read(&mut buf).unwrap();
                if n == 0 {
                    return seen;
                }
                assert_eq!(n % 4, 0, "reads of a regular file stay word-aligned");
                seen.extend(
                    buf[..n]
                        .chunks(4)
                        .map(|w| u32::from_le_bytes(w.try_into().unwrap())),
                );
            }
        }));
    }
    let killer = {
        let plan = plan.clone();
        std::thread::spawn(move || {
            for _ in 0..5 {
                std::thread::sleep(Duration::from_millis(2));
                plan.kill(libc::ENOTCONN);
            }
        })
    };
    let mut all: Vec<u32> = run_bounded(threads, Duration::from_secs(30)).concat();
    killer.join().unwrap();
    all.sort_unstable();
    assert_eq!(all.len(), words as usize, "no word lost or read twice");
    assert!(all.iter().copied().eq(0..words), "every word once");
    assert_eq!(cover.with_handle(|h| h.offset), u64::from(words) * 4);
    assert_eq!(plan.reopens(), cover.control().stats().recoveries);
}

/// `eof_is_failure` is for sockets: a file's end is the end of its data, for a
/// dup'ed cover as for a sole one, whatever the builder was told.
#[test]
fn a_files_end_is_never_a_failure_even_when_told_so() {
    let data = bytes(100, 12);
    let scratch = scratch_file(&data);
    let mut cover = builder()
        .eof_is_failure(true)
        .open(&scratch.path, ha_cover::reopen_seek, ())
        .unwrap();
    let mut dup = cover.dup().unwrap();
    let mut got = Vec::new();
    dup.read_to_end(&mut got).unwrap();
    assert_eq!(got, data);
    assert_eq!(dup.read(&mut [0; 10]).unwrap(), 0, "EOF, not a recovery");
    assert_eq!(cover.read(&mut [0; 10]).unwrap(), 0);
    assert_eq!(cover.control().stats().failures, 0);
}

/// A recovery function that appends through a member of its own group (a
/// log line through a dup, say) gets that write's failure back, not
/// recovered again, instead of waiting for the group's append slot, which
/// the append whose recovery called it holds: the append is recovered and
/// written once.
#[test]
fn a_recovery_function_appending_through_its_own_group_does_not_wait_for_the_append() {
    use std::io::Write;
    use std::sync::Mutex;

    type Log = Arc<Mutex<Option<Cover<Faulty<File>>>>>;
    let scratch = scratch_file(b"");
    let plan = Plan::new();
    let log: Log = Arc::default();
    let logged: Arc<Mutex<Vec<bool>>> = Arc::default();
    let recovery = {
        let (log, logged) = (Arc::clone(&log), Arc::clone(&logged));
        move |failure: &Failure<'_, Faulty<File>>, _: &mut ()| {
            if let Some(log) = log.lock().unwrap().as_mut() {
                logged.lock().unwrap().push(log.write(b"log\n").is_ok());
            }
            failure.reopen()
        }
    };
    let append = std::fs::OpenOptions::new().append(true).clone();
    let mut cover = builder()
        .attach(plan.wrap(append.open(&scratch.path).unwrap()), recovery, ())
        .unwrap();
    *log.lock().unwrap() = Some(cover.dup().unwrap());
    let (done, finished) = mpsc::channel();
    let writer = std::thread::spawn(move || {
        plan.kill(libc::ENOTCONN);
        let result = cover.write_all(b"record\n");
        done.send(()).unwrap();
        (result, cover)
    });
    finished
        .recv_timeout(Duration::from_secs(10))
        .expect("the append waits for its own recovery function's log line");
    let (result, cover) = writer.join().unwrap();
    result.unwrap();
    assert_eq!(
        *logged.lock().unwrap(),
        [false],
        "the log line failed on the dead connection, once"
    );
    assert_eq!(cover.control().stats().recoveries, 1);
    assert_eq!(std::fs::read(&scratch.path).unwrap(), b"record\n");
}
