//! Positioned I/O through `&self`: threads share one cover in an `Arc` and
//! read and write at offsets (`FileExt`, as std's `File` allows), with no dup
//! each, across real deaths of our FUSE server (SIGKILL, remounted by its
//! supervisor). One recovery serves every thread: the new connection goes
//! under the cover's own descriptor number, as QNX's `ha_reopen` does.

use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use ha_cover::{Backoff, Cover};
use ha_cover_world::require;
use ha_cover_world::{Component, FuseServer, random_bytes};

const T: Duration = Duration::from_secs(10);
const THREADS: usize = 4;
const BLOCK: usize = 4096;
const BLOCKS: usize = 256;

/// Reads `cover`'s block `i` the way generic code over `FileExt` would.
fn block_of(file: &impl FileExt, i: usize) -> Vec<u8> {
    let mut buf = vec![0; BLOCK];
    file.read_exact_at(&mut buf, (i * BLOCK) as u64).unwrap();
    buf
}

#[test]
fn threads_share_one_cover_for_positioned_reads_across_deaths() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let data = random_bytes(BLOCK * BLOCKS, 42);
    std::fs::write(fs.backing("table"), &data).unwrap();
    let cover = Arc::new(
        Cover::builder()
            .backoff(Backoff::fixed(Duration::from_millis(5)))
            .open(fs.path("table"), ha_cover::reopen, ())
            .unwrap(),
    );
    let data = Arc::new(data);
    let stop = Arc::new(AtomicBool::new(false));
    let start = Arc::new(Barrier::new(THREADS + 1));
    let readers: Vec<_> = (0..THREADS)
        .map(|t| {
            let (cover, data, stop, start) = (
                Arc::clone(&cover),
                Arc::clone(&data),
                Arc::clone(&stop),
                Arc::clone(&start),
            );
            thread::spawn(move || {
                start.wait();
                let mut reads = 0u64;
                let mut i = t;
                while !stop.load(Ordering::Relaxed) {
                    let block = i % BLOCKS;
                    assert_eq!(
                        block_of(&*cover, block),
                        data[block * BLOCK..(block + 1) * BLOCK],
                        "thread {t}, block {block}"
                    );
                    reads += 1;
                    i += THREADS;
                }
                reads
            })
        })
        .collect();
    start.wait();
    for _ in 0..3 {
        thread::sleep(Duration::from_millis(50));
        let deaths = fs.supervisor().deaths();
        fs.supervisor().kill().expect("server running");
        fs.supervisor().wait_deaths(deaths + 1, T).unwrap();
        fs.supervisor().wait_ready(T).unwrap();
    }
    thread::sleep(Duration::from_millis(50));
    stop.store(true, Ordering::Relaxed);
    let reads: u64 = readers.into_iter().map(|r| r.join().unwrap()).sum();
    assert!(reads > 0);
    let stats = cover.control().stats();
    assert!(
        (1..=3).contains(&stats.recoveries),
        "one recovery per death at most, for all {THREADS} threads: {stats:?}"
    );
    assert_eq!(stats.gave_up, 0, "{stats:?}");
}

#[test]
fn positioned_writes_through_a_shared_cover_land_once_each() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    std::fs::write(fs.backing("pages"), vec![0; BLOCK * 64]).unwrap();
    let cover = Arc::new(
        Cover::builder()
            .backoff(Backoff::fixed(Duration::from_millis(5)))
            .open_with(
                fs.path("pages"),
                std::fs::OpenOptions::new().read(true).write(true),
                ha_cover::reopen,
                (),
            )
            .unwrap(),
    );
    let writers: Vec<_> = (0..THREADS)
        .map(|t| {
            let cover = Arc::clone(&cover);
            thread::spawn(move || {
                for page in (t..64).step_by(THREADS) {
                    let fill = vec![page as u8 + 1; BLOCK];
                    cover.write_all_at(&fill, (page * BLOCK) as u64).unwrap();
                    if page == t + THREADS {
                        thread::sleep(Duration::from_millis(30));
                    }
                }
            })
        })
        .collect();
    thread::sleep(Duration::from_millis(10));
    let deaths = fs.supervisor().deaths();
    fs.supervisor().kill().expect("server running");
    fs.supervisor().wait_deaths(deaths + 1, T).unwrap();
    for w in writers {
        w.join().unwrap();
    }
    assert!(
        cover.control().stats().recoveries >= 1,
        "the writers met the death"
    );
    let back = std::fs::read(fs.backing("pages")).unwrap();
    for page in 0..64 {
        assert!(
            back[page * BLOCK..(page + 1) * BLOCK]
                .iter()
                .all(|&b| b == page as u8 + 1),
            "page {page}"
        );
    }
}

/// A dup'ed cover: threads share one member through `&self` while another
/// thread shares the other, a dup of it. Whichever meets a death first
/// recovers for both; the other moves to the new connection before it reads
/// anything more.
#[test]
fn shared_calls_on_a_cover_and_its_dup_recover_together_across_deaths() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let data = random_bytes(BLOCK * BLOCKS, 43);
    std::fs::write(fs.backing("table"), &data).unwrap();
    let mut cover = Cover::builder()
        .backoff(Backoff::fixed(Duration::from_millis(5)))
        .open(fs.path("table"), ha_cover::reopen, ())
        .unwrap();
    let dup = Arc::new(cover.dup().unwrap());
    let cover = Arc::new(cover);
    let data = Arc::new(data);
    let stop = Arc::new(AtomicBool::new(false));
    let start = Arc::new(Barrier::new(THREADS + 1));
    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let member = Arc::clone(if t % 2 == 0 { &cover } else { &dup });
            let (data, stop, start) = (Arc::clone(&data), Arc::clone(&stop), Arc::clone(&start));
            thread::spawn(move || {
                start.wait();
                let mut i = t;
                while !stop.load(Ordering::Relaxed) {
                    let block = i % BLOCKS;
                    assert_eq!(
                        block_of(&*member, block),
                        data[block * BLOCK..(block + 1) * BLOCK],
                        "thread {t}, block {block}"
                    );
                    i += THREADS;
                }
            })
        })
        .collect();
    start.wait();
    for _ in 0..3 {
        thread::sleep(Duration::from_millis(50));
        let deaths = fs.supervisor().deaths();
        fs.supervisor().kill().expect("server running");
        fs.supervisor().wait_deaths(deaths + 1, T).unwrap();
        fs.supervisor().wait_ready(T).unwrap();
    }
    thread::sleep(Duration::from_millis(50));
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }
    let stats = cover.control().stats();
    assert!(
        (1..=3).contains(&stats.recoveries),
        "one recovery per death at most, for both members: {stats:?}"
    );
    assert_eq!(stats.gave_up, 0, "{stats:?}");
}

/// Threads share a cover through `&self` (positioned reads, which leave the
/// file position alone) while another thread reads the file from its start
/// to its end, again and again, through a dup of it (`&mut self`, and the
/// position the two share). Whoever meets a death recovers for all; the
/// sequential reader goes on where it was (`reopen_seek`), each byte once.
#[test]
fn a_sequential_reader_on_a_dup_goes_on_where_it_was_across_deaths() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let data = random_bytes(BLOCK * BLOCKS, 43);
    std::fs::write(fs.backing("table"), &data).unwrap();
    let mut cover = Cover::builder()
        .backoff(Backoff::fixed(Duration::from_millis(5)))
        .open(fs.path("table"), ha_cover::reopen_seek, ())
        .unwrap();
    let mut dup = cover.dup().unwrap();
    let cover = Arc::new(cover);
    let data = Arc::new(data);
    let stop = Arc::new(AtomicBool::new(false));
    let start = Arc::new(Barrier::new(THREADS + 1));
    let mut threads: Vec<_> = (0..THREADS - 1)
        .map(|t| {
            let (cover, data, stop, start) = (
                Arc::clone(&cover),
                Arc::clone(&data),
                Arc::clone(&stop),
                Arc::clone(&start),
            );
            thread::spawn(move || {
                start.wait();
                let mut i = t;
                while !stop.load(Ordering::Relaxed) {
                    let block = i % BLOCKS;
                    assert_eq!(
                        block_of(&*cover, block),
                        data[block * BLOCK..(block + 1) * BLOCK],
                        "thread {t}, block {block}"
                    );
                    i += THREADS;
                }
            })
        })
        .collect();
    let (sequential, stop_reading, started) =
        (Arc::clone(&data), Arc::clone(&stop), Arc::clone(&start));
    threads.push(thread::spawn(move || {
        started.wait();
        while !stop_reading.load(Ordering::Relaxed) {
            dup.seek(SeekFrom::Start(0)).unwrap();
            let mut all = Vec::new();
            dup.read_to_end(&mut all).unwrap();
            // Not assert_eq!: a megabyte each side is no message.
            let differs = all.iter().zip(sequential.iter()).position(|(a, b)| a != b);
            assert!(
                all == *sequential,
                "the dup read {} bytes of {}, the first wrong one at {differs:?}",
                all.len(),
                sequential.len()
            );
        }
    }));
    start.wait();
    for _ in 0..3 {
        thread::sleep(Duration::from_millis(50));
        let deaths = fs.supervisor().deaths();
        fs.supervisor().kill().expect("server running");
        fs.supervisor().wait_deaths(deaths + 1, T).unwrap();
        fs.supervisor().wait_ready(T).unwrap();
    }
    thread::sleep(Duration::from_millis(50));
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }
    let stats = cover.control().stats();
    assert!(
        (1..=3).contains(&stats.recoveries),
        "one recovery per death at most, for the shared calls and the dup: {stats:?}"
    );
    assert_eq!(stats.gave_up, 0, "{stats:?}");
}
