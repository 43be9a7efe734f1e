//! Chaos against real FUSE servers: a 64 MiB file read and written while the
//! server is killed with SIGKILL hundreds of times at random moments and
//! restarted by the supervisor. The bytes must come through exactly.
//!
//! The tests of this file run one at a time (they count the process's
//! descriptors) and pace the reader or writer by the kills, so that the kills
//! are spread over the whole stream.

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier, Mutex, MutexGuard, mpsc};
use std::time::{Duration, Instant};

use ha_cover::{Backoff, Builder, Cover};
use ha_cover_world::require;
use ha_cover_world::{
    Chaos, ChaosConfig, Component, FuseImpl, FuseServer, Rng, SupervisorHandle, random_bytes,
};

const SIZE: usize = 64 << 20;
const T: Duration = Duration::from_secs(10);

fn one_at_a_time() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

fn component(kind: FuseImpl) -> Component {
    match kind {
        FuseImpl::Fuser => Component::Fuse,
        FuseImpl::Bindfs => Component::Bindfs,
    }
}

fn open_descriptors() -> usize {
    ha_cover::frontend::wait_for_closes();
    fs::read_dir("/proc/self/fd").unwrap().count()
}

fn chaos(server: SupervisorHandle, kills: usize, seed: u64) -> Chaos {
    Chaos::start(
        server,
        ChaosConfig {
            seed,
            kills,
            min_interval: Duration::from_millis(2),
            max_interval: Duration::from_millis(20),
            ready_timeout: T,
        },
    )
}

/// Holds the stream back while it is further through its bytes than the chaos
/// is through its kills, so the kills land all along the stream; not at all
/// once the chaos has ended (done, or given up).
fn pace(chaos: &Chaos, server: &SupervisorHandle, done: usize, total: usize, kills: usize) {
    let started = Instant::now();
    while chaos.is_running()
        && (done as f64 / total as f64) > (server.deaths() as f64 + 1.0) / kills as f64
        && started.elapsed() < T
    {
        std::thread::sleep(Duration::from_micros(200));
    }
}

/// Every failure the stream met ended in a recovery, and the kills were met
/// along the stream: at most one recovery per kill (a kill that lands while
/// the stream still waits out its backoff from the previous one is recovered
/// from by the same recovery: a few percent of them here), and at least one
/// for every other kill.
fn assert_kills_were_met(stats: &ha_cover::Stats, kills: usize) {
    assert_eq!(stats.recoveries, stats.failures, "{stats:?}");
    assert!(stats.recoveries <= kills as u64, "{stats:?}");
    assert!(stats.recoveries * 2 >= kills as u64, "{stats:?}");
}

fn reader_chaos(kind: FuseImpl, kills: usize, seed: u64) {
    require!(component(kind));
    let _serial = one_at_a_time();
    let fs = FuseServer::start(kind).unwrap();
    let data = random_bytes(SIZE, seed);
    fs::write(fs.backing("data"), &data).unwrap();
    let server = fs.supervisor().handle();
    let mut cover = Builder::new()
        .backoff(Backoff::exponential(
            Duration::from_micros(500),
            Duration::from_millis(20),
        ))
        .open(fs.path("data"), ha_cover::reopen_seek, ())
        .unwrap();
    let descriptors = open_descriptors();
    let started = Instant::now();
    let chaos = chaos(server.clone(), kills, seed);
    let mut got = Vec::with_capacity(SIZE);
    let mut buf = vec![0; 64 * 1024];
    loop {
        pace(&chaos, &server, got.len(), SIZE, kills);
        match cover.read(&mut buf).unwrap() {
            0 => break,
            n => got.extend_from_slice(&buf[..n]),
        }
    }
    let report = chaos.join();
    assert_eq!(report.error, None);
    assert_eq!(report.kills.len(), kills);
    server.wait_ready(T).unwrap();
    assert_eq!(got.len(), SIZE, "{kind:?}: nothing lost, nothing repeated");
    assert!(got == data, "{kind:?}: the bytes read differ from the file");
    let stats = cover.control().stats();
    eprintln!(
        "{kind:?} reader chaos: {} kills, {} recoveries, {} attempts, {:?} disconnected, {:?} in all",
        report.kills.len(),
        stats.recoveries,
        stats.attempts,
        stats.disconnected,
        started.elapsed()
    );
    assert_kills_were_met(&stats, kills);
    assert_eq!(
        open_descriptors(),
        descriptors,
        "{kind:?}: every dead connection was closed"
    );
}

#[test]
fn a_64_mib_reader_survives_200_kills_of_bindfs() {
    reader_chaos(FuseImpl::Bindfs, 200, 11);
}

#[test]
fn a_64_mib_reader_survives_200_kills_of_our_fuse_server() {
    reader_chaos(FuseImpl::Fuser, 200, 12);
}

#[test]
fn a_64_mib_writer_survives_100_kills_of_bindfs() {
    require!(Component::Bindfs);
    let _serial = one_at_a_time();
    let kills = 100;
    let fs = FuseServer::bindfs().unwrap();
    let data = random_bytes(SIZE, 13);
    let server = fs.supervisor().handle();
    let mut cover = Builder::new()
        .backoff(Backoff::exponential(
            Duration::from_micros(500),
            Duration::from_millis(20),
        ))
        .open_with(
            fs.path("out"),
            OpenOptions::new().write(true).create(true),
            ha_cover::reopen_seek,
            (),
        )
        .unwrap();
    let descriptors = open_descriptors();
    let chaos = chaos(server.clone(), kills, 13);
    let mut written = 0;
    // Uneven chunks, so kills land at every kind of offset.
    let mut rng = Rng::new(13);
    while written < SIZE {
        pace(&chaos, &server, written, SIZE, kills);
        let len = (rng.between(1, 128 * 1024) as usize).min(SIZE - written);
        cover.write_all(&data[written..written + len]).unwrap();
        written += len;
    }
    cover.sync_all().unwrap();
    let report = chaos.join();
    assert_eq!(report.error, None);
    assert_eq!(report.kills.len(), kills);
    let on_disk = fs::read(fs.backing("out")).unwrap();
    assert_eq!(on_disk.len(), SIZE, "no hole, no repeated range at the end");
    if on_disk != data {
        let first = on_disk.iter().zip(&data).position(|(a, b)| a != b).unwrap();
        panic!("the file differs from what was written, first at byte {first}");
    }
    let stats = cover.control().stats();
    eprintln!(
        "bindfs writer chaos: {kills} kills, {} recoveries, {} indeterminate",
        stats.recoveries, stats.indeterminate
    );
    assert_kills_were_met(&stats, kills);
    assert_eq!(stats.indeterminate, 0);
    assert_eq!(
        open_descriptors(),
        descriptors,
        "every dead connection was closed"
    );
}

#[test]
fn eight_threads_on_dups_make_exactly_one_recovery_per_death() {
    require!(Component::Fuse);
    let _serial = one_at_a_time();
    let deaths = 10;
    let fs = FuseServer::fuser().unwrap();
    let data = random_bytes(8 << 20, 14);
    fs::write(fs.backing("shared"), &data).unwrap();
    let mut cover: Cover<_> = Cover::open(fs.path("shared"), ha_cover::reopen, ()).unwrap();
    let round_start = Arc::new(Barrier::new(9));
    let round_end = Arc::new(Barrier::new(9));
    let (done, results) = mpsc::channel();
    for t in 0..8u64 {
        let member = cover.dup().unwrap();
        let (round_start, round_end, done, data) = (
            Arc::clone(&round_start),
            Arc::clone(&round_end),
            done.clone(),
            data.clone(),
        );
        std::thread::spawn(move || {
            let mut buf = vec![0; 32 * 1024];
            let mut rng = Rng::new(t);
            let mut wrong = 0;
            for _ in 0..=deaths {
                round_start.wait();
                for _ in 0..16 {
                    let offset = rng.between(0, (data.len() - buf.len()) as u64);
                    member.read_exact_at(&mut buf, offset).unwrap();
                    wrong +=
                        usize::from(buf[..] != data[offset as usize..offset as usize + buf.len()]);
                }
                round_end.wait();
            }
            done.send(wrong).unwrap();
        });
    }
    let server = fs.supervisor().handle();
    for death in 0..=deaths {
        round_start.wait();
        round_end.wait();
        if death < deaths {
            // Between rounds: every thread's next read finds the server dead.
            let before = server.deaths();
            server.kill();
            server.wait_deaths(before + 1, T).unwrap();
        }
    }
    for _ in 0..8 {
        let wrong = results
            .recv_timeout(Duration::from_secs(60))
            .expect("a reader did not finish: deadlock?");
        assert_eq!(wrong, 0, "all bytes correct");
    }
    let stats = cover.control().stats();
    assert_eq!(
        stats.recoveries, deaths as u64,
        "exactly one recovery per death: {stats:?}"
    );
    assert_eq!(stats.failures, deaths as u64);
    let mut tail = [0; 16];
    cover.read_exact(&mut tail).unwrap();
    assert_eq!(tail, data[..16]);
}

/// Kills at random moments of eight threads' reading through dups of one
/// cover (not between rounds, as above): every byte right, and exactly one
/// recovery per death, serving all eight threads. Each death comes only once
/// the previous one is recovered from, so that one recovery cannot answer two.
#[test]
fn eight_threads_reading_through_dups_make_one_recovery_per_death_at_random_moments() {
    require!(Component::Fuse);
    let _serial = one_at_a_time();
    let deaths = 30;
    let fs = FuseServer::fuser().unwrap();
    let data = Arc::new(random_bytes(8 << 20, 16));
    fs::write(fs.backing("shared"), &*data).unwrap();
    let mut cover = Builder::new()
        .backoff(Backoff::exponential(
            Duration::from_micros(500),
            Duration::from_millis(20),
        ))
        .open(fs.path("shared"), ha_cover::reopen, ())
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..8u64)
        .map(|t| {
            let (member, stop, data) = (cover.dup().unwrap(), Arc::clone(&stop), Arc::clone(&data));
            std::thread::spawn(move || {
                let mut buf = vec![0; 16 * 1024];
                let mut rng = Rng::new(100 + t);
                let (mut reads, mut wrong) = (0u64, 0u64);
                while !stop.load(Ordering::Relaxed) {
                    let offset = rng.between(0, (data.len() - buf.len()) as u64);
                    member.read_exact_at(&mut buf, offset).unwrap();
                    let want = &data[offset as usize..offset as usize + buf.len()];
                    wrong += u64::from(buf[..] != *want);
                    reads += 1;
                }
                (reads, wrong)
            })
        })
        .collect();
    let server = fs.supervisor().handle();
    let mut rng = Rng::new(16);
    let limit = Instant::now() + Duration::from_secs(60);
    for death in 1..=deaths {
        std::thread::sleep(Duration::from_micros(rng.between(500, 5_000)));
        let before = server.deaths();
        server.kill();
        server.wait_deaths(before + 1, T).unwrap();
        while cover.control().stats().recoveries < death {
            assert!(
                Instant::now() < limit,
                "death {death} was not recovered from"
            );
            std::thread::sleep(Duration::from_micros(100));
        }
    }
    stop.store(true, Ordering::Relaxed);
    for reader in readers {
        let (reads, wrong) = reader.join().expect("a reader failed");
        assert!(reads > 0);
        assert_eq!(wrong, 0, "all bytes correct");
    }
    let stats = cover.control().stats();
    assert_eq!(
        stats.recoveries, deaths,
        "exactly one recovery per death: {stats:?}"
    );
    assert_eq!(stats.failures, deaths, "{stats:?}");
}

#[test]
fn appends_survive_chaos_without_duplicates() {
    require!(Component::Fuse);
    let _serial = one_at_a_time();
    let kills = 30;
    let fs = FuseServer::fuser().unwrap();
    let server = fs.supervisor().handle();
    let mut cover = Builder::new()
        .backoff(Backoff::exponential(
            Duration::from_micros(500),
            Duration::from_millis(20),
        ))
        .open_with(
            fs.path("journal"),
            OpenOptions::new().append(true).create(true),
            ha_cover::reopen,
            (),
        )
        .unwrap();
    let chaos = chaos(server.clone(), kills, 15);
    let mut expected = Vec::new();
    let entries = 20_000;
    for i in 0..entries {
        pace(&chaos, &server, i, entries, kills);
        let entry = format!("entry {i:06}\n");
        cover.write_all(entry.as_bytes()).unwrap();
        expected.extend_from_slice(entry.as_bytes());
    }
    let report = chaos.join();
    assert_eq!(report.error, None);
    let journal = fs::read(fs.backing("journal")).unwrap();
    assert!(journal == expected, "every entry exactly once, in order");
    eprintln!(
        "append chaos: {kills} kills, {} recoveries",
        cover.control().stats().recoveries
    );
}
