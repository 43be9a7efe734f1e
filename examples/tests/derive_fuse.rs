//! `#[derive(Recoverable)]` handles against our FUSE server really killed with
//! SIGKILL and mounted again by the supervisor: every strategy that recovers a
//! file, with no hand-written recovery code except where the test is about it.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::time::Duration;

use ha_cover::{AttemptError, Backoff, Builder, Cover, Failure, Recoverable, ReopenSeekTarget};
use ha_cover_world::require;
use ha_cover_world::{Component, FuseServer, random_bytes};

const T: Duration = Duration::from_secs(10);

/// The seed's handle, with the recovery declared instead of written.
#[derive(Recoverable, Default, Debug)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    curr_offset: u64,
    #[ha(recoveries)]
    nr: u32,
}

#[test]
fn reopen_seek_reads_the_whole_file_across_three_real_deaths() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let data = random_bytes(256 * 1024, 11);
    fs::write(fs.backing("testfile"), &data).unwrap();
    let mut fd = Cover::open(fs.path("testfile"), ha_cover::by_handle, Handle::default()).unwrap();
    let mut fd2 = fd.dup().unwrap();
    let mut got = Vec::new();
    let mut buf = [0; 15];
    let mut deaths = 0;
    while got.len() < data.len() {
        // Alternate between the connection and its dup: they share the
        // position, the handle and the recovery.
        let reader = if got.len() % 2 == 0 {
            &mut fd
        } else {
            &mut fd2
        };
        let n = reader.read(&mut buf).unwrap();
        got.extend_from_slice(&buf[..n]);
        assert_eq!(
            fd.with_handle(|h| h.curr_offset),
            got.len() as u64,
            "the offset follows every read"
        );
        if got.len() % 60_000 < 15 && deaths < 3 {
            fs.supervisor().kill_and_wait(T).unwrap();
            deaths += 1;
        }
    }
    assert!(
        got == data,
        "the bytes read across the deaths differ from the file"
    );
    assert_eq!(
        fd.with_handle(|h| h.nr),
        3,
        "one recovery per death, counted by the handle"
    );
    assert_eq!(fd.control().stats().recoveries, 3);
}

#[test]
fn reopen_seek_goes_back_to_where_a_seek_left_the_file() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let data = random_bytes(64 * 1024, 12);
    fs::write(fs.backing("f"), &data).unwrap();
    let mut cover = Cover::open(fs.path("f"), ha_cover::by_handle, Handle::default()).unwrap();
    cover.seek(SeekFrom::Start(40_000)).unwrap();
    assert_eq!(cover.with_handle(|h| h.curr_offset), 40_000);
    let mut at = [0; 100];
    cover.read_exact_at(&mut at, 10).unwrap();
    assert_eq!(
        cover.with_handle(|h| h.curr_offset),
        40_000,
        "positioned reads do not move it"
    );
    fs.supervisor().kill_and_wait(T).unwrap();
    let mut rest = Vec::new();
    cover.read_to_end(&mut rest).unwrap();
    assert!(rest == data[40_000..]);
    assert_eq!(cover.with_handle(|h| h.nr), 1);
}

/// `reopen`: an append-only log needs no seek; the runtime checks the file size
/// before resending a failed append.
#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen)]
struct Log {
    #[ha(recoveries)]
    reopened: u64,
}

#[test]
fn reopen_appends_every_line_exactly_once_across_a_real_death() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    fs::write(fs.backing("log"), b"start\n").unwrap();
    let mut cover = Cover::open_with(
        fs.path("log"),
        OpenOptions::new().append(true),
        ha_cover::by_handle,
        Log::default(),
    )
    .unwrap();
    let mut expected = b"start\n".to_vec();
    for i in 0..200 {
        if i == 91 {
            fs.supervisor().kill_and_wait(T).unwrap();
        }
        let line = format!("entry {i}\n");
        cover.write_all(line.as_bytes()).unwrap();
        expected.extend_from_slice(line.as_bytes());
    }
    assert_eq!(fs::read(fs.backing("log")).unwrap(), expected);
    assert_eq!(cover.with_handle(|h| h.reopened), 1);
}

/// `#[ha(path)]`: fail over to a replica the client chooses at run time.
#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Failover {
    #[ha(offset)]
    offset: u64,
    #[ha(path)]
    replica: Option<PathBuf>,
}

#[test]
fn the_path_field_moves_recovery_to_a_replica() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    // Same length, different bytes: where the reads come from shows.
    let primary = random_bytes(32 * 1024, 13);
    let replica = random_bytes(32 * 1024, 14);
    fs::write(fs.backing("primary"), &primary).unwrap();
    fs::write(fs.backing("replica"), &replica).unwrap();
    let mut cover =
        Cover::open(fs.path("primary"), ha_cover::by_handle, Failover::default()).unwrap();
    let mut head = vec![0; 10_000];
    cover.read_exact(&mut head).unwrap();
    assert!(head == primary[..10_000]);
    cover.with_handle(|h| h.replica = Some(fs.path("replica")));
    fs.supervisor().kill_and_wait(T).unwrap();
    let mut tail = Vec::new();
    cover.read_to_end(&mut tail).unwrap();
    assert!(
        tail == replica[10_000..],
        "read on from the replica, at the same offset"
    );
}

/// `with`: the seed's own recovery function, named on the handle; the derive still
/// keeps the offset and counts the recoveries.
#[derive(Recoverable, Default)]
#[recoverable(with = recover_conn, connection = File)]
struct Seed {
    #[ha(offset)]
    curr_offset: u64,
    #[ha(recoveries)]
    nr: u32,
    reopens: u32,
}

fn recover_conn(failure: &Failure<'_, File>, hdl: &mut Seed) -> Result<File, AttemptError> {
    hdl.reopens += 1;
    let mut file = failure.reopen()?;
    file.seek(SeekFrom::Start(hdl.curr_offset))?;
    Ok(file)
}

#[test]
fn a_with_function_recovers_across_real_deaths() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let data = random_bytes(128 * 1024, 15);
    fs::write(fs.backing("testfile"), &data).unwrap();
    let mut cover = Cover::open(fs.path("testfile"), ha_cover::by_handle, Seed::default()).unwrap();
    let mut got = vec![0; 50_000];
    cover.read_exact(&mut got).unwrap();
    fs.supervisor().kill_and_wait(T).unwrap();
    let mut rest = vec![0; 50_000];
    cover.read_exact(&mut rest).unwrap();
    got.extend_from_slice(&rest);
    fs.supervisor().kill_and_wait(T).unwrap();
    cover.read_to_end(&mut got).unwrap();
    assert!(got == data);
    let attempts = cover.control().stats().attempts;
    let (nr, reopens) = cover.with_handle(|h| (h.nr, h.reopens));
    assert_eq!(nr, 2, "two recoveries, counted by the derive");
    assert_eq!(
        u64::from(reopens),
        attempts,
        "the function is called once per attempt (the first ones may find the server still down)"
    );
}

/// An `after` hook that refuses the first connection it is given after each
/// death: its error is a failed attempt, and the next attempt succeeds.
#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek, after = refuse_once)]
struct Picky {
    #[ha(offset)]
    offset: u64,
    #[ha(recoveries)]
    recoveries: u32,
    hook_calls: u32,
}

fn refuse_once<C: ReopenSeekTarget>(_: &mut C, handle: &mut Picky) -> std::io::Result<()> {
    handle.hook_calls += 1;
    if handle.hook_calls % 2 == 1 {
        return Err(std::io::Error::other("not ready yet"));
    }
    Ok(())
}

#[test]
fn an_error_from_the_after_hook_is_a_failed_attempt() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let data = random_bytes(64 * 1024, 16);
    fs::write(fs.backing("f"), &data).unwrap();
    let mut cover = Builder::new()
        .backoff(Backoff::fixed(Duration::from_millis(5)))
        .open(fs.path("f"), ha_cover::by_handle, Picky::default())
        .unwrap();
    let mut got = vec![0; 20_000];
    cover.read_exact(&mut got).unwrap();
    fs.supervisor().kill_and_wait(T).unwrap();
    cover.read_to_end(&mut got).unwrap();
    assert!(got == data);
    let stats = cover.control().stats();
    assert_eq!(stats.recoveries, 1, "{stats:?}");
    assert!(stats.attempts >= 2, "the refused attempt counts: {stats:?}");
    assert_eq!(cover.with_handle(|h| (h.hook_calls, h.recoveries)), (2, 1));
}
