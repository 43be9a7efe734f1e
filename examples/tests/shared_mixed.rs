//! One cover shared through `&self` by threads, mixed with what else a user
//! does with it, across real SIGKILLs of our FUSE server and of the world's
//! socket server: a dup read through `&mut self` at the same position (with
//! the kernel's position, and with a handle that follows it), a recovery
//! function that gives up once, recovery suspended and enabled again through
//! `control()`, and request/answer clients under `WritePolicy::Never` and
//! `Replay`. Every byte is read once, nothing is written twice, and nothing
//! hangs (each thread is joined within a time limit).

use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use ha_cover::{AttemptError, Backoff, Cover, Failure, Recoverable, WritePolicy};
use ha_cover_world::require;
use ha_cover_world::{Component, FuseServer, SocketMode, SocketServer, read_line};

const T: Duration = Duration::from_secs(20);
const WORD: usize = 8;
const CHUNK: usize = 4096;

/// Joins `thread`, failing the test if it has not ended within `T`.
fn join<R>(thread: JoinHandle<R>, what: &str) -> R {
    let started = Instant::now();
    while !thread.is_finished() {
        assert!(
            started.elapsed() < T,
            "{what} did not end within {T:?}: a deadlock?"
        );
        thread::sleep(Duration::from_millis(10));
    }
    thread.join().unwrap()
}

/// A file of little-endian word numbers: a read says where it was made.
fn table(fs: &FuseServer, words: usize) {
    let data: Vec<u8> = (0..words as u64).flat_map(u64::to_le_bytes).collect();
    std::fs::write(fs.backing("table"), &data).unwrap();
}

/// Counts each word of `read` in `seen`, after checking it is one run.
fn count(seen: &mut [u32], read: &[u8]) {
    assert_eq!(read.len() % WORD, 0, "a read of part of a word");
    let first = u64::from_le_bytes(read[..WORD].try_into().unwrap()) as usize;
    for (i, word) in read.chunks(WORD).enumerate() {
        let n = u64::from_le_bytes(word.try_into().unwrap()) as usize;
        assert_eq!(n, first + i, "a read that is not one run of the file");
        seen[n] += 1;
    }
}

fn assert_each_once(seen: &[u32]) {
    let wrong: Vec<_> = seen
        .iter()
        .enumerate()
        .filter(|(_, c)| **c != 1)
        .take(8)
        .collect();
    let (twice, never) = (
        seen.iter().filter(|c| **c > 1).count(),
        seen.iter().filter(|c| **c == 0).count(),
    );
    assert!(
        wrong.is_empty(),
        "words read other than once ({twice} more than once, {never} never): first {wrong:?}"
    );
}

/// Kills the server `kills` times while `busy`, waiting for each restart.
fn kill_while(fs: &FuseServer, kills: usize, busy: impl Fn() -> bool) -> usize {
    let mut done = 0;
    for _ in 0..kills {
        thread::sleep(Duration::from_millis(30));
        if !busy() {
            break;
        }
        let deaths = fs.supervisor().deaths();
        fs.supervisor().kill().expect("server running");
        fs.supervisor().wait_deaths(deaths + 1, T).unwrap();
        fs.supervisor().wait_ready(T).unwrap();
        done += 1;
    }
    done
}

/// Two threads read `cover` through `&self` while a third reads its dup
/// through `&mut self` (one file position for all), or, without `with_dup`,
/// the cover through `&self` too, slowly, until the end of the file; returns
/// how many times each word was read.
fn self_and_dup_read<H: Recoverable + Send + 'static>(
    fs: &FuseServer,
    mut cover: Cover<std::fs::File, H>,
    words: usize,
    kills: usize,
    with_dup: bool,
) -> Vec<u32> {
    let dup = with_dup.then(|| cover.dup().unwrap());
    let cover = Arc::new(cover);
    let done = Arc::new(AtomicBool::new(false));
    let start = Arc::new(Barrier::new(4));
    let mut threads: Vec<JoinHandle<Vec<Vec<u8>>>> = (0..2)
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
                    thread::sleep(Duration::from_micros(300));
                }
                done.store(true, Ordering::Relaxed);
                reads
            })
        })
        .collect();
    let (dup_done, dup_start, shared) = (Arc::clone(&done), Arc::clone(&start), Arc::clone(&cover));
    threads.push(thread::spawn(move || {
        dup_start.wait();
        let mut reads = Vec::new();
        let mut buf = vec![0; CHUNK];
        let mut dup = dup;
        loop {
            let read = match dup.as_mut() {
                Some(dup) => dup.read(&mut buf),
                None => (&*shared).read(&mut buf),
            };
            match read.unwrap() {
                0 => break,
                n => reads.push(buf[..n].to_vec()),
            }
            thread::sleep(Duration::from_micros(300));
        }
        dup_done.store(true, Ordering::Relaxed);
        reads
    }));
    start.wait();
    let killed = kill_while(fs, kills, || !done.load(Ordering::Relaxed));
    assert!(killed >= 3, "only {killed} kills met the readers");
    let mut seen = vec![0; words];
    for (i, t) in threads.into_iter().enumerate() {
        for read in join(t, &format!("reader {i}")) {
            count(&mut seen, &read);
        }
    }
    eprintln!("{killed} kills, {:?}", cover.control().stats());
    seen
}

/// A sole cover whose handle follows the position, read by three threads
/// through `&self`: a recovery lends the handle to the recovery function
/// with the cover's lock let go, and the reads that go on meanwhile wait for
/// it back before they are counted in it.
#[test]
fn self_readers_of_a_sole_cover_with_an_offset_handle_across_deaths() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let words = (8 << 20) / WORD;
    table(&fs, words);
    let cover = Cover::builder()
        .backoff(Backoff::fixed(Duration::from_millis(5)))
        .open(fs.path("table"), ha_cover::by_handle, Offset::default())
        .unwrap();
    let seen = self_and_dup_read(&fs, cover, words, 8, false);
    assert_each_once(&seen);
}

/// Threads reading a cover through `&self` and a thread reading its dup
/// through `&mut self` share one file position: each word is read once,
/// by one of them, whoever meets the deaths (`reopen_seek` from the dead
/// description's position).
#[test]
fn self_readers_and_a_mut_dup_reader_share_the_position_across_deaths() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let words = (8 << 20) / WORD;
    table(&fs, words);
    let cover = Cover::builder()
        .backoff(Backoff::fixed(Duration::from_millis(5)))
        .open(fs.path("table"), ha_cover::reopen_seek, ())
        .unwrap();
    let seen = self_and_dup_read(&fs, cover, words, 8, true);
    assert_each_once(&seen);
}

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Offset {
    #[ha(offset)]
    at: u64,
}

/// The same with a handle that follows the position (`#[ha(offset)]`): the
/// recovery seeks to what the handle saw, which must count the dup's reads
/// through `&mut self` as well as the threads' through `&self`.
#[test]
fn self_readers_and_a_mut_dup_reader_with_an_offset_handle_across_deaths() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let words = (8 << 20) / WORD;
    table(&fs, words);
    let cover = Cover::builder()
        .backoff(Backoff::fixed(Duration::from_millis(5)))
        .open(fs.path("table"), ha_cover::by_handle, Offset::default())
        .unwrap();
    let seen = self_and_dup_read(&fs, cover, words, 8, true);
    assert_each_once(&seen);
}

/// Threads read through `&self` while recovery is suspended (their reads
/// fail with the server's own error, and read nothing), then enabled again
/// (the next read recovers, where the dead description was), and while a
/// recovery function gives up once: no word is lost or read twice, the
/// errors are the death's `ENOTCONN`, and nobody waits for ever.
#[test]
fn suspended_and_given_up_recoveries_lose_nothing_for_self_readers() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let words = (16 << 20) / WORD;
    table(&fs, words);
    let refuse = Arc::new(AtomicBool::new(false));
    let refused = Arc::new(AtomicU64::new(0));
    let recovery = {
        let (refuse, refused) = (Arc::clone(&refuse), Arc::clone(&refused));
        move |failure: &Failure<'_, std::fs::File>, _: &mut ()| {
            if refuse.swap(false, Ordering::SeqCst) {
                refused.fetch_add(1, Ordering::SeqCst);
                return Err(AttemptError::give_up(io::Error::other("not now")));
            }
            ha_cover::reopen_seek(failure, &mut ())
        }
    };
    let cover = Arc::new(
        Cover::builder()
            .backoff(Backoff::fixed(Duration::from_millis(5)))
            .open(fs.path("table"), recovery, ())
            .unwrap(),
    );
    let done = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(Mutex::new(Vec::new()));
    let start = Arc::new(Barrier::new(4));
    let threads: Vec<_> = (0..3)
        .map(|_| {
            let (cover, done, errors, start) = (
                Arc::clone(&cover),
                Arc::clone(&done),
                Arc::clone(&errors),
                Arc::clone(&start),
            );
            thread::spawn(move || {
                start.wait();
                let mut reads = Vec::new();
                let mut buf = vec![0; CHUNK];
                loop {
                    match (&*cover).read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => reads.push(buf[..n].to_vec()),
                        Err(e) => {
                            errors.lock().unwrap().push(e.raw_os_error());
                            thread::sleep(Duration::from_millis(5));
                        }
                    }
                    thread::sleep(Duration::from_micros(300));
                }
                done.fetch_add(1, Ordering::Relaxed);
                reads
            })
        })
        .collect();
    start.wait();
    let busy = || done.load(Ordering::Relaxed) == 0;
    // Suspended: the threads' reads fail until recovery is enabled again.
    cover.control().suspend();
    let mut killed = kill_while(&fs, 1, busy);
    thread::sleep(Duration::from_millis(100));
    let suspended_errors = errors.lock().unwrap().len();
    cover.control().enable();
    // A recovery function that gives up once.
    refuse.store(true, Ordering::SeqCst);
    killed += kill_while(&fs, 1, busy);
    thread::sleep(Duration::from_millis(100));
    // And plain deaths.
    killed += kill_while(&fs, 3, busy);
    assert_eq!(killed, 5, "the threads were done before the last kills");
    let mut seen = vec![0; words];
    for (i, t) in threads.into_iter().enumerate() {
        for read in join(t, &format!("reader {i}")) {
            count(&mut seen, &read);
        }
    }
    let errors = errors.lock().unwrap().clone();
    let stats = cover.control().stats();
    eprintln!("{} errors, {stats:?}", errors.len());
    assert!(suspended_errors > 0, "the reads failed while suspended");
    assert_eq!(
        refused.load(Ordering::SeqCst),
        1,
        "the recovery refused once"
    );
    assert!(
        errors
            .iter()
            .all(|e| matches!(e, Some(libc::ENOTCONN | libc::ECONNABORTED))),
        "the death's own error: {errors:?}"
    );
    assert!(stats.gave_up >= 1, "{stats:?}");
    assert_each_once(&seen);
}

/// Threads take turns (a lock of their own across a request and its answer,
/// as the docs advise) sending `INCR` to a counter that survives the server's
/// restarts, through one socket cover shared by `&self`. Under `Never` an
/// `INCR` is never sent twice: the counter is at least the answers read and
/// at most those plus the requests reported indeterminate.
/// With `dups`, two of the four threads each use a dup of the cover of their
/// own, through `&mut self`.
fn counter_clients(policy: WritePolicy, dups: bool) -> (u64, u64, u64) {
    let server = SocketServer::start(SocketMode::Counter).unwrap();
    let mut cover = Cover::builder()
        .backoff(Backoff::fixed(Duration::from_millis(5)))
        .write_policy(policy)
        .connect_unix(server.unix_path().unwrap(), ha_cover::reconnect, ())
        .unwrap();
    cover.get_ref().set_read_timeout(Some(T)).unwrap();
    let mut own: Vec<_> = (0..4)
        .map(|t| (dups && t >= 2).then(|| cover.dup().unwrap()))
        .collect();
    let cover = Arc::new(cover);
    let turn = Arc::new(Mutex::new(()));
    let answered = Arc::new(AtomicU64::new(0));
    let indeterminate = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let mut dup = own[t].take();
            let (cover, turn, answered, indeterminate, stop) = (
                Arc::clone(&cover),
                Arc::clone(&turn),
                Arc::clone(&answered),
                Arc::clone(&indeterminate),
                Arc::clone(&stop),
            );
            thread::spawn(move || {
                let mut last = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let _turn = turn.lock().unwrap();
                    let answer = match dup.as_mut() {
                        Some(dup) => dup.write_all(b"INCR\n").and_then(|()| read_line(dup)),
                        None => (&*cover)
                            .write_all(b"INCR\n")
                            .and_then(|()| read_line(&mut &*cover)),
                    };
                    match answer {
                        Ok(value) => {
                            let value: u64 = value.trim().parse().unwrap();
                            assert!(value > last, "answers go up: {value} after {last}");
                            last = value;
                            answered.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) if ha_cover::is_indeterminate(&e) => {
                            indeterminate.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) => panic!("{e}"),
                    }
                }
            })
        })
        .collect();
    for _ in 0..8 {
        thread::sleep(Duration::from_millis(40));
        server.supervisor().kill_and_wait(T).unwrap();
        server.supervisor().wait_ready(T).unwrap();
    }
    thread::sleep(Duration::from_millis(40));
    stop.store(true, Ordering::Relaxed);
    for (i, t) in threads.into_iter().enumerate() {
        join(t, &format!("client {i}"));
    }
    let mut check = server.connect_unix().unwrap();
    check.write_all(b"GET\n").unwrap();
    let counter: u64 = read_line(&mut check).unwrap().trim().parse().unwrap();
    let (answered, indeterminate) = (
        answered.load(Ordering::Relaxed),
        indeterminate.load(Ordering::Relaxed),
    );
    eprintln!(
        "{policy:?}: counter {counter}, answered {answered}, indeterminate {indeterminate}, {:?}",
        cover.control().stats()
    );
    (counter, answered, indeterminate)
}

#[test]
fn threads_taking_turns_never_send_a_request_twice_under_never() {
    let (counter, answered, indeterminate) = counter_clients(WritePolicy::Never, false);
    assert!(
        (answered..=answered + indeterminate).contains(&counter),
        "counter {counter}: answered {answered}, indeterminate {indeterminate}"
    );
}

/// The same with two of the threads on dups through `&mut self`: one ledger
/// of unanswered bytes for the group.
#[test]
fn threads_and_dups_taking_turns_never_send_a_request_twice_under_never() {
    let (counter, answered, indeterminate) = counter_clients(WritePolicy::Never, true);
    assert!(
        (answered..=answered + indeterminate).contains(&counter),
        "counter {counter}: answered {answered}, indeterminate {indeterminate}"
    );
}

/// Under `Always` a write that met the death is sent again (a read that met
/// it with a request unanswered is still indeterminate: it sends nothing);
/// nothing hangs, and every answer read is one the server gave.
#[test]
fn threads_and_dups_taking_turns_get_every_answer_under_always() {
    let (counter, answered, _) = counter_clients(WritePolicy::Always, true);
    assert!(
        counter >= answered,
        "counter {counter}, answered {answered}"
    );
}

/// Under `Replay` a request left unanswered is sent again: no thread is told
/// its answer is indeterminate.
#[test]
fn threads_taking_turns_get_every_answer_under_replay() {
    let (counter, answered, indeterminate) = counter_clients(WritePolicy::Replay, true);
    assert_eq!(indeterminate, 0);
    assert!(
        counter >= answered,
        "counter {counter}, answered {answered}"
    );
}

/// Runs `f` on another thread; whether it returned within `limit`.
fn returns_within(limit: Duration, f: impl FnOnce() + Send + 'static) -> (bool, JoinHandle<()>) {
    let t = thread::spawn(f);
    let started = Instant::now();
    while !t.is_finished() && started.elapsed() < limit {
        thread::sleep(Duration::from_millis(5));
    }
    (t.is_finished(), t)
}

/// While a call through `&self` recovers (the server is down, and stays
/// down until the test brings it back), another thread reads the cover's
/// stats and suspends its recovery: as `Control`'s docs say, each call takes
/// the group's lock "for its own length", not for the recovery's. (A sole
/// cover's recovery through `&self` held its lock throughout: `stats()`
/// waited for the server.)
fn control_during_a_self_recovery(dup_first: bool) {
    let fs = FuseServer::fuser().unwrap();
    table(&fs, 1 << 16);
    let mut cover = Cover::builder()
        .backoff(Backoff::fixed(Duration::from_millis(20)))
        .open(fs.path("table"), ha_cover::reopen_seek, ())
        .unwrap();
    let _dup = dup_first.then(|| cover.dup().unwrap());
    let cover = Arc::new(cover);
    fs.supervisor().set_auto_restart(false);
    fs.supervisor().kill_and_wait(T).unwrap();
    let reader = {
        let cover = Arc::clone(&cover);
        thread::spawn(move || (&*cover).read(&mut [0; CHUNK]))
    };
    // The reader meets the death and waits for the server.
    thread::sleep(Duration::from_millis(300));
    assert!(!reader.is_finished(), "the reader waits for the server");
    let (stats_returned, stats) = {
        let cover = Arc::clone(&cover);
        returns_within(Duration::from_secs(2), move || {
            let _ = cover.control().stats();
        })
    };
    let (suspend_returned, suspend) = {
        let cover = Arc::clone(&cover);
        returns_within(Duration::from_secs(2), move || cover.control().suspend())
    };
    fs.supervisor().restart();
    fs.supervisor().wait_ready(T).unwrap();
    join(stats, "stats");
    join(suspend, "suspend");
    // The recovery under way goes on (suspension stops the next one from
    // beginning), and reads once the server is back.
    assert_eq!(join(reader, "the reader").unwrap(), CHUNK);
    assert!(
        stats_returned,
        "control().stats() waited for the recovery of a call through &self"
    );
    assert!(
        suspend_returned,
        "control().suspend() waited for the recovery of a call through &self"
    );
}

#[test]
fn control_answers_while_a_self_call_on_a_dup_recovers() {
    require!(Component::Fuse);
    control_during_a_self_recovery(true);
}

#[test]
fn control_answers_while_a_self_call_on_a_sole_cover_recovers() {
    require!(Component::Fuse);
    control_during_a_self_recovery(false);
}
