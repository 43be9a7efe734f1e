//! `#[ha_connection]` file types against our FUSE server really killed with
//! SIGKILL and mounted again by the supervisor: each mode through real deaths,
//! and the declaration's policy (limits, triggers) as the runtime applies it.

use std::fs;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::time::Duration;

use ha_cover::{AttemptError, Failure, Recoverable, ha_connection};
use ha_cover_world::require;
use ha_cover_world::{Component, FuseServer, random_bytes};

const T: Duration = Duration::from_secs(10);

/// The seed's handle, with the recovery declared.
#[derive(Recoverable, Default, Debug)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    curr_offset: u64,
    #[ha(recoveries)]
    nr: u32,
}

/// The seed's declaration, but for `attempts`: tests run beside others that
/// mount and unmount file systems, and every change of the mount table wakes a
/// waiting recovery for an attempt, so a small limit is reached in a
/// millisecond. The limit has its own test below.
#[ha_connection(file, mode = read_only, handle = Handle,
                backoff = exponential(10ms, 2s), deadline = 30s)]
struct TestFile;

#[test]
fn a_declared_reader_and_its_dup_read_a_whole_file_across_three_deaths() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let data = random_bytes(256 * 1024, 21);
    fs::write(fs.backing("testfile"), &data).unwrap();
    let mut fd = TestFile::open(fs.path("testfile"), Handle::default()).unwrap();
    let mut fd2: TestFile = fd.dup().unwrap();
    let mut got = Vec::new();
    let mut buf = [0; 15];
    let mut deaths = 0;
    while got.len() < data.len() {
        let reader = if got.len() % 2 == 0 {
            &mut fd
        } else {
            &mut fd2
        };
        let n = match reader.read(&mut buf) {
            Ok(n) => n,
            Err(e) => panic!("{e}: {:?}", reader.control().stats()),
        };
        got.extend_from_slice(&buf[..n]);
        if got.len() % 60_000 < 15 && deaths < 3 {
            fs.supervisor().kill_when_ready(T).unwrap();
            deaths += 1;
        }
    }
    assert!(
        got == data,
        "the bytes read across the deaths differ from the file"
    );
    assert_eq!(fd.with_handle(|h| h.curr_offset), data.len() as u64);
    assert_eq!(
        fd.with_handle(|h| h.nr),
        3,
        "one recovery per death, for both dups"
    );
    assert_eq!(fd.control().stats().recoveries, 3);
    assert_eq!(fd2.control().generation(), 3);
}

/// No handle: recovery reopens and seeks to where the dead descriptor was.
#[ha_connection(file, mode = read_only)]
struct Plain;

#[test]
fn without_a_handle_a_declared_file_goes_back_to_the_dead_connections_position() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let data = random_bytes(64 * 1024, 22);
    fs::write(fs.backing("f"), &data).unwrap();
    let mut file = Plain::open(fs.path("f")).unwrap();
    file.seek(SeekFrom::Start(40_000)).unwrap();
    let mut at = [0; 100];
    file.read_exact_at(&mut at, 10).unwrap();
    assert!(at[..] == data[10..110]);
    fs.supervisor().kill_when_ready(T).unwrap();
    let mut rest = Vec::new();
    file.read_to_end(&mut rest).unwrap();
    assert!(
        rest == data[40_000..],
        "read on from the seek, not the pread"
    );
    assert_eq!(file.control().stats().recoveries, 1);
}

#[ha_connection(file, mode = write_only, backoff = fixed(5ms))]
struct Output;

#[test]
fn a_declared_writer_creates_a_file_and_writes_it_across_deaths() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let data = random_bytes(200 * 1024, 23);
    let mut out = Output::create(fs.path("out")).unwrap();
    for (i, chunk) in data.chunks(10_000).enumerate() {
        if i == 7 || i == 15 {
            fs.supervisor().kill_when_ready(T).unwrap();
        }
        out.write_all(chunk).unwrap();
    }
    // A positioned write after a death is sent again as it is: idempotent.
    fs.supervisor().kill_when_ready(T).unwrap();
    out.write_all_at(b"HEADER", 0).unwrap();
    out.sync_all().unwrap();
    let mut expected = data.clone();
    expected[..6].copy_from_slice(b"HEADER");
    assert!(fs::read(fs.backing("out")).unwrap() == expected);
    assert_eq!(out.control().stats().recoveries, 3);
}

#[ha_connection(file, mode = read_write)]
struct Pages;

#[test]
fn a_declared_read_write_file_reads_what_it_wrote_across_a_death() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    fs::write(fs.backing("pages"), vec![0; 16 * 4096]).unwrap();
    let mut pages = Pages::open(fs.path("pages")).unwrap();
    let page = random_bytes(4096, 24);
    pages.write_all_at(&page, 3 * 4096).unwrap();
    fs.supervisor().kill_when_ready(T).unwrap();
    let mut back = vec![0; 4096];
    pages.read_exact_at(&mut back, 3 * 4096).unwrap();
    assert!(back == page);
    pages.seek(SeekFrom::Start(5 * 4096)).unwrap();
    pages.write_all(&page).unwrap();
    fs.supervisor().kill_when_ready(T).unwrap();
    pages.rewind().unwrap();
    let mut all = Vec::new();
    pages.read_to_end(&mut all).unwrap();
    assert!(all[3 * 4096..4 * 4096] == page[..] && all[5 * 4096..6 * 4096] == page[..]);
    assert_eq!(pages.control().stats().recoveries, 2);
}

/// An append-only journal: the handle reopens without seeking.
#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen)]
struct Log {
    #[ha(recoveries)]
    reopened: u64,
}

#[ha_connection(file, mode = append, handle = Log)]
struct Journal;

#[test]
fn a_declared_journal_appends_every_line_exactly_once_across_deaths() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    fs::write(fs.backing("journal"), b"start\n").unwrap();
    let mut journal = Journal::open(fs.path("journal"), Log::default()).unwrap();
    let mut expected = b"start\n".to_vec();
    for i in 0..300 {
        if i == 91 || i == 222 {
            fs.supervisor().kill_when_ready(T).unwrap();
        }
        let line = format!("entry {i}\n");
        writeln!(journal, "entry {i}").unwrap();
        expected.extend_from_slice(line.as_bytes());
    }
    assert_eq!(fs::read(fs.backing("journal")).unwrap(), expected);
    assert_eq!(journal.with_handle(|h| h.reopened), 2);
}

#[ha_connection(file, mode = read_only, attempts = 1)]
struct OneAttempt;

#[test]
fn the_declared_attempt_limit_gives_up_until_reset() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    fs::write(fs.backing("f"), random_bytes(8192, 28)).unwrap();
    let mut file = OneAttempt::open(fs.path("f")).unwrap();
    let mut buf = [0; 100];
    file.read_exact(&mut buf).unwrap();
    // Down for good: the one attempt fails, and the read gets the original error.
    fs.supervisor().set_auto_restart(false);
    fs.supervisor().kill_when_ready(T).unwrap();
    let error = file.read(&mut buf).unwrap_err();
    assert_eq!(error.raw_os_error(), Some(libc::ENOTCONN), "{error}");
    let stats = file.control().stats();
    assert_eq!((stats.attempts, stats.gave_up), (1, 1), "{stats:?}");
    // Back, but the limit is used up until the cover is told otherwise.
    fs.supervisor().restart();
    fs.supervisor().wait_ready(T).unwrap();
    assert!(file.read(&mut buf).is_err());
    file.control().reset_attempts();
    file.read_exact(&mut buf).unwrap();
    assert_eq!(file.control().stats().recoveries, 1);
}

#[ha_connection(file, mode = read_only, total = 1)]
struct Once;

#[test]
fn the_declared_total_limit_ends_recovery_with_the_original_error() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    fs::write(fs.backing("f"), random_bytes(8192, 25)).unwrap();
    let mut file = Once::open(fs.path("f")).unwrap();
    let mut buf = [0; 100];
    fs.supervisor().kill_when_ready(T).unwrap();
    file.read_exact(&mut buf).unwrap();
    fs.supervisor().kill_when_ready(T).unwrap();
    let error = file.read(&mut buf).unwrap_err();
    assert_eq!(error.raw_os_error(), Some(libc::ENOTCONN), "{error}");
    assert_eq!(file.control().stats().recoveries, 1);
    // Raised at run time, the limit lets the next failure recover.
    file.control().set_total_limit(None);
    file.read_exact(&mut buf).unwrap();
    assert_eq!(file.control().stats().recoveries, 2);
}

/// Only a stale NFS handle triggers recovery: a dead FUSE daemon's `ENOTCONN`
/// comes back to the caller.
#[ha_connection(file, mode = read_only, recover_on = [ESTALE])]
struct NfsOnly;

#[test]
fn the_declared_trigger_set_replaces_the_defaults() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    fs::write(fs.backing("f"), random_bytes(8192, 26)).unwrap();
    let mut file = NfsOnly::open(fs.path("f")).unwrap();
    let mut buf = [0; 100];
    file.read_exact(&mut buf).unwrap();
    fs.supervisor().kill_when_ready(T).unwrap();
    let error = file.read(&mut buf).unwrap_err();
    assert_eq!(error.raw_os_error(), Some(libc::ENOTCONN), "{error}");
    assert_eq!(
        file.control().stats().failures,
        0,
        "not a trigger: not a failure"
    );
}

fn start_over(
    failure: &Failure<'_, fs::File>,
    handle: &mut Handle,
) -> Result<fs::File, AttemptError> {
    handle.curr_offset = 0;
    failure.reopen()
}

#[test]
fn suspend_enable_and_a_replaced_recovery_function() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let data = random_bytes(32 * 1024, 27);
    fs::write(fs.backing("testfile"), &data).unwrap();
    let mut fd = TestFile::open(fs.path("testfile"), Handle::default()).unwrap();
    let mut buf = [0; 1000];
    fd.read_exact(&mut buf).unwrap();

    fd.control().suspend();
    fs.supervisor().kill_when_ready(T).unwrap();
    let error = fd.read(&mut buf).unwrap_err();
    assert_eq!(
        error.raw_os_error(),
        Some(libc::ENOTCONN),
        "suspended: {error}"
    );
    fd.control().enable();
    fd.read_exact(&mut buf).unwrap();
    assert!(
        buf[..] == data[1000..2000],
        "enabled: recovered where it was"
    );

    // Replaced: the next recovery starts the file over.
    fd.set_recovery(start_over);
    fs.supervisor().kill_when_ready(T).unwrap();
    fd.read_exact(&mut buf).unwrap();
    assert!(
        buf[..] == data[..1000],
        "the replaced function reopened at 0"
    );

    // Restored: the declared recovery seeks back to the handle's offset.
    fd.restore_recovery();
    fs.supervisor().kill_when_ready(T).unwrap();
    fd.read_exact(&mut buf).unwrap();
    assert!(buf[..] == data[1000..2000]);
    assert_eq!(fd.with_handle(|h| h.nr), 3);
}

#[test]
fn attaching_a_file_opened_without_the_declared_access_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f");
    fs::write(&path, b"x").unwrap();
    let read_only = fs::File::open(&path).unwrap();
    let error = Output::attach(read_only).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
    assert_eq!(
        error.to_string(),
        "`Output` is declared `mode = write_only`, and this file is open read-only"
    );
    let appending = fs::OpenOptions::new().append(true).open(&path).unwrap();
    assert!(Journal::attach(appending, Log::default()).is_ok());
    let writing = fs::OpenOptions::new().write(true).open(&path).unwrap();
    let error = Journal::attach(writing, Log::default()).unwrap_err();
    assert!(
        error.to_string().ends_with("this file is open write-only"),
        "{error}"
    );
}
