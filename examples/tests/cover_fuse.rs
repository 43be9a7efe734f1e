//! ha-cover against FUSE servers that are really killed with SIGKILL and mounted
//! again by the supervisor: ours (`ha-fuse-server`) and Debian's bindfs.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Barrier, mpsc};
use std::time::Duration;

use ha_cover::{
    AttemptError, Backoff, Builder, Cover, Failure, Recoverable, RecoveryError, Transfer,
};
use ha_cover_world::require;
use ha_cover_world::{Component, FuseImpl, FuseServer, Rng, random_bytes};

const T: Duration = Duration::from_secs(10);

fn component(kind: FuseImpl) -> Component {
    match kind {
        FuseImpl::Fuser => Component::Fuse,
        FuseImpl::Bindfs => Component::Bindfs,
    }
}

fn read_across_a_death(kind: FuseImpl) {
    require!(component(kind));
    let fs = FuseServer::start(kind).unwrap();
    let data = random_bytes(1 << 20, 1);
    fs::write(fs.backing("data"), &data).unwrap();
    let mut cover = Cover::open(fs.path("data"), ha_cover::reopen_seek, ()).unwrap();
    let mut got = vec![0; 100_000];
    cover.read_exact(&mut got).unwrap();
    fs.supervisor().kill_and_wait(T).unwrap();
    cover.read_to_end(&mut got).unwrap();
    assert!(
        got == data,
        "{kind:?}: the bytes read across the death differ from the file"
    );
    let stats = cover.control().stats();
    assert_eq!(stats.recoveries, 1, "{kind:?}: {stats:?}");
    assert!(
        matches!(stats.last_errno, Some(libc::ENOTCONN | libc::ECONNABORTED)),
        "{stats:?}"
    );
}

#[test]
fn a_read_recovers_across_a_real_death_of_our_fuse_server() {
    read_across_a_death(FuseImpl::Fuser);
}

#[test]
fn a_read_recovers_across_a_real_death_of_bindfs() {
    read_across_a_death(FuseImpl::Bindfs);
}

/// The seed's handle: the offset kept from the transfers, recoveries counted.
#[derive(Default)]
struct Handle {
    nr: u32,
    curr_offset: u64,
}

impl Recoverable for Handle {
    fn on_transfer(&mut self, transfer: Transfer<'_>) {
        match transfer {
            Transfer::Read(b) | Transfer::Written(b) => self.curr_offset += b.len() as u64,
            Transfer::Seeked(to) => self.curr_offset = to,
            _ => {}
        }
    }
}

fn recover_conn(failure: &Failure<'_, File>, hdl: &mut Handle) -> Result<File, AttemptError> {
    let mut file = failure.reopen()?;
    file.seek(SeekFrom::Start(hdl.curr_offset))?;
    hdl.nr += 1;
    Ok(file)
}

#[test]
fn the_seed_recovery_function_recovers_every_death_of_bindfs() {
    require!(Component::Bindfs);
    let fs = FuseServer::bindfs().unwrap();
    let data = random_bytes(256 * 1024, 2);
    fs::write(fs.backing("testfile"), &data).unwrap();
    let mut fd = Cover::open(fs.path("testfile"), recover_conn, Handle::default()).unwrap();
    let mut got = Vec::new();
    let mut buf = [0; 15];
    let mut deaths = 0;
    while got.len() < data.len() {
        let n = fd.read(&mut buf).unwrap();
        got.extend_from_slice(&buf[..n]);
        if got.len() % 50_000 < 15 && deaths < 3 {
            fs.supervisor().kill_and_wait(T).unwrap();
            deaths += 1;
        }
    }
    assert!(got == data);
    assert_eq!(fd.with_handle(|h| h.nr), 3);
    assert_eq!(fd.with_handle(|h| h.curr_offset), data.len() as u64);
}

fn writes_across_a_death(kind: FuseImpl) {
    require!(component(kind));
    let fs = FuseServer::start(kind).unwrap();
    let data = random_bytes(4 << 20, 3);
    let mut cover = Builder::new()
        .open_with(
            fs.path("out"),
            OpenOptions::new().write(true).create(true),
            ha_cover::reopen_seek,
            (),
        )
        .unwrap();
    for (i, chunk) in data.chunks(64 * 1024).enumerate() {
        if i == 20 || i == 45 {
            fs.supervisor().kill_and_wait(T).unwrap();
        }
        cover.write_all(chunk).unwrap();
    }
    cover.sync_all().unwrap();
    let on_disk = fs::read(fs.backing("out")).unwrap();
    assert_eq!(
        on_disk.len(),
        data.len(),
        "{kind:?}: no hole, no repeated range"
    );
    assert!(
        on_disk == data,
        "{kind:?}: the file on disk differs from what was written"
    );
    assert_eq!(cover.control().stats().recoveries, 2);
}

#[test]
fn sequential_writes_recover_across_real_deaths_of_our_fuse_server() {
    writes_across_a_death(FuseImpl::Fuser);
}

#[test]
fn sequential_writes_recover_across_real_deaths_of_bindfs() {
    writes_across_a_death(FuseImpl::Bindfs);
}

#[test]
fn appends_recover_across_a_real_death_without_duplicates() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    fs::write(fs.backing("log"), b"start\n").unwrap();
    let mut cover = Cover::open_with(
        fs.path("log"),
        OpenOptions::new().append(true),
        ha_cover::reopen,
        (),
    )
    .unwrap();
    let mut expected = b"start\n".to_vec();
    for i in 0..200 {
        if i == 77 {
            fs.supervisor().kill_and_wait(T).unwrap();
        }
        let line = format!("entry {i}\n");
        cover.write_all(line.as_bytes()).unwrap();
        expected.extend_from_slice(line.as_bytes());
    }
    assert_eq!(fs::read(fs.backing("log")).unwrap(), expected);
    assert_eq!(cover.control().stats().recoveries, 1);
}

#[test]
fn positioned_writes_recover_across_a_real_death() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    fs::write(fs.backing("image"), vec![0u8; 1 << 20]).unwrap();
    let cover = Cover::open_with(
        fs.path("image"),
        OpenOptions::new().read(true).write(true),
        ha_cover::reopen,
        (),
    )
    .unwrap();
    let mut expected = vec![0u8; 1 << 20];
    let mut rng = Rng::new(4);
    for i in 0..300 {
        if i == 150 {
            fs.supervisor().kill_and_wait(T).unwrap();
        }
        let offset = rng.next_u64() % ((1 << 20) - 4096);
        let block = random_bytes(4096, i);
        cover.write_all_at(&block, offset).unwrap();
        expected[offset as usize..offset as usize + 4096].copy_from_slice(&block);
    }
    assert!(fs::read(fs.backing("image")).unwrap() == expected);
}

/// With recovery impossible, the caller gets exactly what std gets from a
/// descriptor on the same dead mount.
#[test]
fn when_recovery_is_impossible_the_error_is_what_std_returns() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    fs::write(fs.backing("f"), b"0123456789").unwrap();
    fs.supervisor().set_auto_restart(false);
    let mut plain = File::open(fs.path("f")).unwrap();
    let mut suspended = Cover::open(fs.path("f"), ha_cover::reopen_seek, ()).unwrap();
    suspended.control().suspend();
    let mut limited = Builder::new()
        .attempts(3)
        .backoff(Backoff::fixed(Duration::from_millis(5)))
        .open(fs.path("f"), ha_cover::reopen_seek, ())
        .unwrap();
    let mut timed = Builder::new()
        .deadline(Duration::from_millis(100))
        .open(fs.path("f"), ha_cover::reopen_seek, ())
        .unwrap();
    fs.supervisor().kill_and_wait(T).unwrap();
    let mut buf = [0; 4];
    let std_error = plain.read(&mut buf).unwrap_err();
    let expected = std_error.raw_os_error();
    assert!(expected.is_some());
    for (name, cover) in [
        ("suspended", &mut suspended),
        ("attempts", &mut limited),
        ("deadline", &mut timed),
    ] {
        let err = cover.read(&mut buf).unwrap_err();
        assert_eq!(err.raw_os_error(), expected, "{name}: {err}");
        assert_eq!(err.kind(), std_error.kind(), "{name}");
        assert_eq!(err.to_string(), std_error.to_string(), "{name}");
    }
    assert!(limited.control().stats().attempts >= 3);
    fs.supervisor().restart();
    fs.supervisor().wait_ready(T).unwrap();
    limited.control().reset_attempts();
    limited.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"0123");
}

/// The total limit (QNX's `HA_RECOVERY_ACOUNT`) against real deaths: a cover
/// allowed `N` recoveries recovers `N` deaths; on the next it gives up at once,
/// without calling its recovery function though the server is back, and the
/// caller gets what std gets from a descriptor on the same dead mount.
#[test]
fn after_the_total_limit_the_error_is_what_std_returns() {
    const N: u32 = 3;
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let data = random_bytes(64, 6);
    fs::write(fs.backing("f"), &data).unwrap();
    let calls = Arc::new(AtomicU32::new(0));
    let counted = Arc::clone(&calls);
    let mut cover = Builder::new()
        .total(N)
        .open(
            fs.path("f"),
            move |failure: &Failure<'_, File>, handle: &mut ()| {
                counted.fetch_add(1, Ordering::SeqCst);
                ha_cover::reopen_seek(failure, handle)
            },
            (),
        )
        .unwrap();
    let mut buf = [0; 4];
    let mut at = 0;
    for death in 1..=N {
        fs.supervisor().kill_and_wait(T).unwrap();
        cover.read_exact(&mut buf).unwrap();
        assert_eq!(buf, data[at..at + 4], "after death {death}");
        at += 4;
        assert_eq!(cover.control().stats().recoveries, u64::from(death));
    }
    let calls_before = calls.load(Ordering::SeqCst);
    assert!(calls_before >= N);
    let mut plain = File::open(fs.path("f")).unwrap();
    fs.supervisor().kill_and_wait(T).unwrap();
    let std_error = plain.read(&mut buf).unwrap_err();
    assert!(std_error.raw_os_error().is_some(), "{std_error}");
    // The supervisor restarts the server: a cover that still recovered would
    // succeed here.
    fs.supervisor().wait_ready(T).unwrap();
    for _ in 0..2 {
        let err = cover.read(&mut buf).unwrap_err();
        assert_eq!(err.raw_os_error(), std_error.raw_os_error(), "{err}");
        assert_eq!(err.kind(), std_error.kind());
        assert_eq!(err.to_string(), std_error.to_string());
    }
    assert_eq!(
        calls.load(Ordering::SeqCst),
        calls_before,
        "the recovery function was called past the limit"
    );
    let stats = cover.control().stats();
    assert_eq!(stats.recoveries, u64::from(N), "{stats:?}");
    assert!(
        matches!(
            stats.last_give_up.as_deref(),
            Some(RecoveryError::TotalLimit { limit: N })
        ),
        "{stats:?}"
    );
    cover.control().reset_total();
    cover.read_exact(&mut buf).unwrap();
    assert_eq!(buf, data[at..at + 4]);
    assert_eq!(cover.control().stats().recoveries, u64::from(N) + 1);
}

#[test]
fn eight_threads_on_dups_through_one_real_death_make_one_recovery() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let data = random_bytes(8 << 20, 5);
    fs::write(fs.backing("shared"), &data).unwrap();
    let mut cover = Cover::open(fs.path("shared"), ha_cover::reopen, ()).unwrap();
    let start = Arc::new(Barrier::new(9));
    let killed = Arc::new(Barrier::new(9));
    let (done, results) = mpsc::channel();
    for t in 0..8u64 {
        let member = cover.dup().unwrap();
        let (start, killed, done, data) = (
            Arc::clone(&start),
            Arc::clone(&killed),
            done.clone(),
            data.clone(),
        );
        std::thread::spawn(move || {
            let mut buf = vec![0; 16 * 1024];
            let mut wrong = 0;
            for round in 0..64u64 {
                if round == 16 {
                    start.wait();
                    killed.wait();
                }
                let offset = ((t * 64 + round) * buf.len() as u64) % data.len() as u64;
                member.read_exact_at(&mut buf, offset).unwrap();
                if buf[..] != data[offset as usize..offset as usize + buf.len()] {
                    wrong += 1;
                }
            }
            done.send(wrong).unwrap();
        });
    }
    start.wait();
    fs.supervisor().kill_and_wait(T).unwrap();
    killed.wait();
    for _ in 0..8 {
        let wrong = results
            .recv_timeout(Duration::from_secs(60))
            .expect("a reader did not finish: deadlock?");
        assert_eq!(wrong, 0);
    }
    assert_eq!(
        cover.control().stats().recoveries,
        1,
        "one recovery for all eight threads"
    );
    assert_eq!(cover.control().stats().failures, 1);
}

/// A FUSE request half answered when its daemon dies can fail with `EIO`, which
/// is also a disk's media error: the cover asks the server (`fstatfs`) and
/// recovers only when it is dead.
#[test]
fn an_eio_is_recovered_only_when_the_server_is_dead() {
    use ha_cover::fault::{Fault, Plan};
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    fs::write(fs.backing("f"), b"0123456789").unwrap();
    let plan = Plan::new().at(0, Fault::Fail(libc::EIO));
    let mut alive = Cover::attach(
        plan.wrap(File::open(fs.path("f")).unwrap()),
        ha_cover::reopen_seek,
        (),
    )
    .unwrap();
    let err = alive.read(&mut [0; 4]).unwrap_err();
    assert_eq!(
        err.raw_os_error(),
        Some(libc::EIO),
        "a live server's EIO is the caller's"
    );
    assert_eq!(alive.control().stats().failures, 0);

    let plan = Plan::new().at(1, Fault::Fail(libc::EIO));
    let mut dying = Cover::attach(
        plan.wrap(File::open(fs.path("f")).unwrap()),
        ha_cover::reopen_seek,
        (),
    )
    .unwrap();
    let mut buf = [0; 4];
    dying.read_exact(&mut buf).unwrap();
    fs.supervisor().kill_and_wait(T).unwrap();
    dying.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"4567");
    let stats = dying.control().stats();
    assert_eq!((stats.recoveries, stats.last_errno), (1, Some(libc::EIO)));
}

/// A recovery waiting out a long backoff wakes when the mount comes back: the
/// kernel's mount table says so (`POLLPRI` on `/proc/self/mountinfo`).
#[test]
fn a_recovery_wakes_when_the_mount_is_back_not_when_the_backoff_ends() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    fs::write(fs.backing("f"), b"0123456789").unwrap();
    let mut cover = Builder::new()
        .backoff(Backoff::fixed(Duration::from_secs(30)).without_jitter())
        .deadline(Duration::from_secs(60))
        .open(fs.path("f"), ha_cover::reopen_seek, ())
        .unwrap();
    let mut buf = [0; 5];
    cover.read_exact(&mut buf).unwrap();
    fs.supervisor().set_downtime(Duration::from_millis(300));
    fs.supervisor().kill_and_wait(T).unwrap();
    let started = std::time::Instant::now();
    cover.read_exact(&mut buf).unwrap();
    let took = started.elapsed();
    assert_eq!(&buf, b"56789");
    assert!(
        took < Duration::from_secs(10),
        "woke only with the 30 s backoff: {took:?}"
    );
    assert!(
        cover.control().stats().attempts >= 2,
        "the server was down when recovery began"
    );
}

/// Other file systems mounted and unmounted while a recovery waits do not wake
/// it (so they cannot spend its attempts); its own server coming back does.
#[test]
fn other_mounts_do_not_wake_a_waiting_recovery() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    fs::write(fs.backing("f"), b"0123456789").unwrap();
    let mut cover = Builder::new()
        .attempts(5)
        .backoff(Backoff::fixed(Duration::from_millis(500)).without_jitter())
        .open(fs.path("f"), ha_cover::reopen_seek, ())
        .unwrap();
    let mut buf = [0; 5];
    cover.read_exact(&mut buf).unwrap();
    fs.supervisor().set_auto_restart(false);
    fs.supervisor().kill_and_wait(T).unwrap();
    let reader = std::thread::spawn(move || {
        let mut buf = [0; 5];
        let result = cover.read_exact(&mut buf).map(|()| buf);
        (result, cover.control().stats())
    });
    for _ in 0..6 {
        drop(FuseServer::fuser().unwrap());
    }
    fs.supervisor().restart();
    let (result, stats) = reader.join().unwrap();
    assert_eq!(&result.unwrap(), b"56789", "{stats:?}");
    assert!(
        stats.attempts <= 4,
        "other mounts woke the recovery: {stats:?}"
    );
}
