//! Sequential I/O through `&Cover` (`Read` and `Write` for `&Cover`, as std
//! has them for `&File`): threads share one cover in an `Arc` and read or
//! write the file at its one position, across real deaths of our FUSE
//! server (SIGKILL, remounted by its supervisor). Each death is recovered
//! once for all the threads, at the position the dead description had.

use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use ha_cover::{Backoff, Cover};
use ha_cover_world::require;
use ha_cover_world::{Component, FuseServer};

const T: Duration = Duration::from_secs(10);
const THREADS: usize = 4;
const WORD: usize = 8;
const CHUNK: usize = 4096;
const KILLS: usize = 3;

/// Kills the server `KILLS` times while `busy` says the threads are still
/// at work, waiting for each restart.
fn kill_while(fs: &FuseServer, busy: impl Fn() -> bool) {
    for kill in 0..KILLS {
        thread::sleep(Duration::from_millis(40));
        assert!(busy(), "the threads were done before kill {kill}");
        let deaths = fs.supervisor().deaths();
        fs.supervisor().kill().expect("server running");
        fs.supervisor().wait_deaths(deaths + 1, T).unwrap();
        fs.supervisor().wait_ready(T).unwrap();
    }
}

#[test]
fn threads_read_one_file_in_turns_through_a_shared_cover_across_deaths() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    // Little-endian word numbers: what a read returns says where it was
    // read from.
    let words = (8 << 20) / WORD;
    let data: Vec<u8> = (0..words as u64).flat_map(u64::to_le_bytes).collect();
    std::fs::write(fs.backing("table"), &data).unwrap();
    let cover = Arc::new(
        Cover::builder()
            .backoff(Backoff::fixed(Duration::from_millis(5)))
            .open(fs.path("table"), ha_cover::reopen_seek, ())
            .unwrap(),
    );
    let done = Arc::new(AtomicUsize::new(0));
    let start = Arc::new(Barrier::new(THREADS + 1));
    let readers: Vec<_> = (0..THREADS)
        .map(|_| {
            let (cover, done, start) = (Arc::clone(&cover), Arc::clone(&done), Arc::clone(&start));
            thread::spawn(move || {
                start.wait();
                let mut reads = Vec::new();
                let mut buf = vec![0; CHUNK];
                loop {
                    match (&*cover).read(&mut buf).unwrap() {
                        0 => break,
                        n => reads.push(buf[..n].to_vec()),
                    }
                    // Slow enough that the deaths find them reading.
                    thread::sleep(Duration::from_micros(500));
                }
                done.fetch_add(1, Ordering::Relaxed);
                reads
            })
        })
        .collect();
    start.wait();
    kill_while(&fs, || done.load(Ordering::Relaxed) == 0);
    let mut seen = vec![0u8; words];
    for reads in readers.into_iter().map(|r| r.join().unwrap()) {
        for read in reads {
            assert_eq!(read.len() % WORD, 0, "a read of part of a word");
            let first = u64::from_le_bytes(read[..WORD].try_into().unwrap()) as usize;
            for (i, word) in read.chunks(WORD).enumerate() {
                let n = u64::from_le_bytes(word.try_into().unwrap()) as usize;
                assert_eq!(n, first + i, "a read that is not one run of the file");
                seen[n] = seen[n].saturating_add(1);
            }
        }
    }
    let wrong: Vec<_> = seen
        .iter()
        .enumerate()
        .filter(|(_, count)| **count != 1)
        .take(5)
        .collect();
    assert!(wrong.is_empty(), "words read other than once: {wrong:?}");
    let stats = cover.control().stats();
    assert_eq!(
        stats.recoveries, KILLS as u64,
        "one recovery per death, for all {THREADS} threads: {stats:?}"
    );
    assert_eq!(stats.gave_up, 0, "{stats:?}");
}

const RECORD: usize = 64;

fn record(thread: usize, i: usize) -> Vec<u8> {
    let mut r = format!("thread {thread} record {i:06} ").into_bytes();
    r.resize(RECORD - 1, b'.');
    r.push(b'\n');
    r
}

/// `THREADS` threads write records through one cover of a file opened
/// with `options` across `KILLS` deaths; the file holds each once, whole.
fn write_in_turns_across_deaths(
    options: &std::fs::OpenOptions,
    recovery: fn(
        &ha_cover::Failure<'_, std::fs::File>,
        &mut (),
    ) -> Result<std::fs::File, ha_cover::AttemptError>,
) {
    let fs = FuseServer::fuser().unwrap();
    std::fs::write(fs.backing("log"), b"").unwrap();
    let cover = Arc::new(
        Cover::builder()
            .backoff(Backoff::fixed(Duration::from_millis(5)))
            .open_with(fs.path("log"), options, recovery, ())
            .unwrap(),
    );
    let per_thread = 600;
    let writing = Arc::new(AtomicBool::new(true));
    let start = Arc::new(Barrier::new(THREADS + 1));
    let writers: Vec<_> = (0..THREADS)
        .map(|t| {
            let (cover, writing, start) =
                (Arc::clone(&cover), Arc::clone(&writing), Arc::clone(&start));
            thread::spawn(move || {
                start.wait();
                for i in 0..per_thread {
                    (&*cover).write_all(&record(t, i)).unwrap();
                    thread::sleep(Duration::from_micros(500));
                }
                writing.store(false, Ordering::Relaxed);
            })
        })
        .collect();
    start.wait();
    kill_while(&fs, || writing.load(Ordering::Relaxed));
    for w in writers {
        w.join().unwrap();
    }
    let back = std::fs::read(fs.backing("log")).unwrap();
    assert_eq!(back.len(), THREADS * per_thread * RECORD, "the file's size");
    let mut found: Vec<&[u8]> = back.chunks(RECORD).collect();
    found.sort();
    let mut expected: Vec<Vec<u8>> = (0..THREADS)
        .flat_map(|t| (0..per_thread).map(move |i| record(t, i)))
        .collect();
    expected.sort();
    assert!(
        found.iter().copied().eq(expected.iter().map(|r| &r[..])),
        "records lost, doubled or torn"
    );
    let stats = cover.control().stats();
    assert_eq!(stats.recoveries, KILLS as u64, "{stats:?}");
    assert_eq!(stats.indeterminate, 0, "{stats:?}");
}

/// Each write goes again at the position the dead description had (where
/// it failed, past which the writes since went on).
#[test]
fn threads_write_one_file_in_turns_through_a_shared_cover_across_deaths() {
    require!(Component::Fuse);
    write_in_turns_across_deaths(
        std::fs::OpenOptions::new().write(true),
        ha_cover::reopen_seek,
    );
}

/// Appends through `&self` go one at a time, so that the size a failed one
/// finds after the recovery says whether it landed.
#[test]
fn threads_append_through_a_shared_cover_across_deaths() {
    require!(Component::Fuse);
    write_in_turns_across_deaths(std::fs::OpenOptions::new().append(true), ha_cover::reopen);
}
