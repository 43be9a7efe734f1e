//! Async covers over files, at every failure point: the bytes delivered are the
//! file's bytes, a write lands once, a dropped future leaves the group whole.

mod common;

use std::time::Duration;

use common::{OffsetHandle, bytes, scratch_file};
use ha_cover::asynchronous::{AsyncFailure, BoxFuture, File};
use ha_cover::fault::{Fault, Faulty, Plan};
use ha_cover::{AttemptError, Backoff, Builder, Recoverable};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

type Conn = Faulty<File>;

fn builder() -> Builder<ha_cover::asynchronous::Tokio> {
    ha_cover::asynchronous::AsyncCover::builder().backoff(Backoff::none())
}

async fn faulty_file(plan: &Plan, path: &std::path::Path, options: &std::fs::OpenOptions) -> Conn {
    plan.wrap(File::open_with(path, options).await.unwrap())
}

fn read_only() -> std::fs::OpenOptions {
    std::fs::OpenOptions::new().read(true).clone()
}

async fn read_in_chunks<R: tokio::io::AsyncRead + Unpin>(
    reader: &mut R,
    chunk: usize,
) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = vec![0; chunk];
    loop {
        match reader.read(&mut buf).await? {
            0 => return Ok(out),
            n => out.extend_from_slice(&buf[..n]),
        }
    }
}

#[tokio::test]
async fn every_failure_point_in_async_reads_delivers_the_file_exactly() {
    let data = bytes(200, 3);
    let scratch = scratch_file(&data);
    for chunk in [1, 7, 64, 4096] {
        let reads = data.len().div_ceil(chunk) as u64 + 1;
        for at in 0..reads {
            for fault in [
                Fault::Die(libc::ENOTCONN),
                Fault::DieAfter(libc::ESTALE),
                Fault::Fail(libc::ECONNABORTED),
            ] {
                for reopen_failures in [0, 2] {
                    let plan = Plan::new()
                        .at(at, fault)
                        .fail_reopens(reopen_failures, libc::ENOENT);
                    let conn = faulty_file(&plan, &scratch.path, &read_only()).await;
                    let mut cover = builder()
                        .attach(conn, ha_cover::asynchronous::reopen_seek, ())
                        .unwrap();
                    let got = read_in_chunks(&mut cover, chunk).await.unwrap();
                    assert_eq!(
                        got, data,
                        "chunk {chunk}, {fault:?} at read {at}, {reopen_failures} failed reopens"
                    );
                    assert_eq!(cover.control().stats().recoveries, 1);
                }
            }
        }
    }
}

#[derive(Recoverable, Default, Debug)]
#[recoverable(strategy = reopen_seek)]
struct Derived {
    #[ha(offset)]
    offset: u64,
    #[ha(recoveries)]
    recoveries: u32,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_derived_handle_recovers_an_async_file_by_its_strategy() {
    let data = bytes(10_000, 4);
    let scratch = scratch_file(&data);
    let plan = Plan::new()
        .at(3, Fault::Die(libc::ENOTCONN))
        .at(9, Fault::DieAfter(libc::ESTALE));
    let conn = faulty_file(&plan, &scratch.path, &read_only()).await;
    let mut cover = builder()
        .attach(conn, ha_cover::asynchronous::by_handle, Derived::default())
        .unwrap();
    let got = read_in_chunks(&mut cover, 512).await.unwrap();
    assert_eq!(got, data);
    let (offset, recoveries) = cover.with_handle(|h| (h.offset, h.recoveries)).await;
    assert_eq!((offset, recoveries), (data.len() as u64, 2));
}

#[tokio::test]
async fn every_failure_point_in_async_sequential_writes_lands_once() {
    // Each write is a task on the blocking pool; kept small to stay quick.
    let data = bytes(150, 5);
    for chunk in [1, 16, 150] {
        for at in 0..data.len().div_ceil(chunk) as u64 {
            for fault in [
                Fault::Die(libc::ENOTCONN),
                Fault::DieAfter(libc::ENOTCONN),
                Fault::Short(3),
            ] {
                let scratch = scratch_file(b"");
                let plan = Plan::new().at(at, fault);
                let options = std::fs::OpenOptions::new().write(true).clone();
                let conn = faulty_file(&plan, &scratch.path, &options).await;
                let mut cover = builder()
                    .attach(conn, ha_cover::asynchronous::reopen_seek, ())
                    .unwrap();
                for piece in data.chunks(chunk) {
                    cover.write_all(piece).await.unwrap();
                }
                cover.flush().await.unwrap();
                drop(cover);
                assert_eq!(
                    std::fs::read(&scratch.path).unwrap(),
                    data,
                    "chunk {chunk}, {fault:?} at write {at}"
                );
            }
        }
    }
}

#[tokio::test]
async fn positioned_operations_recover_with_their_offsets() {
    let data = bytes(4096, 6);
    let scratch = scratch_file(&data);
    let plan = Plan::new();
    let options = std::fs::OpenOptions::new().read(true).write(true).clone();
    let conn = plan.wrap(File::open_with(&scratch.path, &options).await.unwrap());
    let mut cover = builder()
        .attach(conn, ha_cover::asynchronous::reopen, ())
        .unwrap();
    let mut buf = [0; 100];
    cover.read_exact_at(&mut buf, 1000).await.unwrap();
    assert_eq!(buf, data[1000..1100]);
    plan.kill(libc::ENOTCONN);
    cover.write_all_at(b"HA", 2000).await.unwrap();
    cover.read_exact_at(&mut buf, 1990).await.unwrap();
    assert_eq!(&buf[10..12], b"HA");
    cover.sync_all().await.unwrap();
    assert_eq!(cover.control().stats().recoveries, 1);
}

/// A recovery that takes a while (the "server" stays down for several attempts).
fn slow_reopen_seek<'a>(
    failure: &'a AsyncFailure<'a, Conn>,
    _: &'a mut (),
) -> BoxFuture<'a, Result<Conn, AttemptError>> {
    Box::pin(async move {
        tokio::time::sleep(Duration::from_millis(20)).await;
        failure.reopen_seek().await
    })
}

#[tokio::test]
async fn a_read_dropped_in_the_middle_of_a_recovery_loses_and_repeats_nothing() {
    let data = bytes(5000, 7);
    let scratch = scratch_file(&data);
    let plan = Plan::new()
        .at(2, Fault::Die(libc::ENOTCONN))
        .fail_reopens(2, libc::ENOENT);
    let conn = faulty_file(&plan, &scratch.path, &read_only()).await;
    let mut cover = builder().attach(conn, slow_reopen_seek, ()).unwrap();
    let mut got = Vec::new();
    let mut buf = [0; 300];
    let mut timeouts = 0;
    loop {
        // Give up on each read quickly: the futures are dropped mid-recovery.
        match tokio::time::timeout(Duration::from_millis(5), cover.read(&mut buf)).await {
            Ok(Ok(0)) => break,
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Ok(Err(e)) => panic!("{e}"),
            Err(_) => timeouts += 1,
        }
    }
    assert!(timeouts > 0, "the recovery outlived some reads");
    assert_eq!(
        got, data,
        "nothing lost or repeated across the dropped futures"
    );
    assert_eq!(cover.control().stats().recoveries, 1);
    assert_eq!(plan.reopens(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_tasks_on_dups_through_one_death_make_one_recovery() {
    let data = bytes(256 * 1024, 8);
    let scratch = scratch_file(&data);
    let plan = Plan::new();
    let conn = faulty_file(&plan, &scratch.path, &read_only()).await;
    let cover = builder()
        .attach(conn, ha_cover::asynchronous::reopen, ())
        .unwrap();
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(9));
    let mut tasks = Vec::new();
    for t in 0..8u64 {
        let mut member = cover.dup().unwrap();
        let (barrier, data) = (barrier.clone(), data.clone());
        tasks.push(tokio::spawn(async move {
            let mut buf = vec![0; 4096];
            for round in 0..32u64 {
                if round == 8 {
                    barrier.wait().await;
                    barrier.wait().await;
                }
                let offset = ((t * 32 + round) * 4096) % data.len() as u64;
                member.read_exact_at(&mut buf, offset).await.unwrap();
                assert_eq!(buf[..], data[offset as usize..offset as usize + 4096]);
            }
        }));
    }
    barrier.wait().await;
    plan.kill(libc::ENOTCONN);
    barrier.wait().await;
    for task in tasks {
        tokio::time::timeout(Duration::from_secs(30), task)
            .await
            .expect("a task did not finish")
            .unwrap();
    }
    assert_eq!(plan.reopens(), 1, "one recovery for all eight tasks");
    assert_eq!(cover.control().stats().recoveries, 1);
}

#[tokio::test]
async fn when_recovery_is_impossible_the_error_is_the_original() {
    let scratch = scratch_file(&bytes(100, 9));
    let plan = Plan::new()
        .at(0, Fault::Die(libc::ESTALE))
        .fail_reopens(100, libc::ENOENT);
    let conn = faulty_file(&plan, &scratch.path, &read_only()).await;
    let mut cover = builder()
        .attempts(3)
        .attach(conn, ha_cover::asynchronous::reopen_seek, ())
        .unwrap();
    let err = cover.read(&mut [0; 4]).await.unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::ESTALE));
    assert_eq!(plan.reopens(), 3);

    let plan = Plan::new().at(0, Fault::Die(libc::ENOTCONN));
    let conn = faulty_file(&plan, &scratch.path, &read_only()).await;
    let mut cover = builder()
        .attach(conn, ha_cover::asynchronous::reopen_seek, ())
        .unwrap();
    cover.control().suspend();
    assert_eq!(
        cover.read(&mut [0; 4]).await.unwrap_err().raw_os_error(),
        Some(libc::ENOTCONN)
    );
    cover.control().enable();
    assert_eq!(cover.read(&mut [0; 4]).await.unwrap(), 4);
}

#[tokio::test]
async fn seeks_are_reported_and_retransmitted() {
    let data = bytes(1000, 10);
    let scratch = scratch_file(&data);
    let plan = Plan::new().at(1, Fault::Die(libc::ENOTCONN));
    let conn = faulty_file(&plan, &scratch.path, &read_only()).await;
    let mut cover = builder()
        .attach(
            conn,
            |f: &AsyncFailure<'_, Conn>, h: &mut OffsetHandle| -> BoxFuture<'_, _> {
                let offset = h.offset;
                Box::pin(async move { f.reopen_at(offset).await })
            },
            OffsetHandle::default(),
        )
        .unwrap();
    cover.seek(std::io::SeekFrom::Start(500)).await.unwrap();
    let mut buf = [0; 10];
    cover.read_exact(&mut buf).await.unwrap();
    assert_eq!(buf, data[500..510]);
    assert_eq!(cover.with_handle(|h| h.offset).await, 510);
}

/// A connection that, once, puts bytes in the buffer and then fails: what a
/// read interrupted halfway by a dying server could do.
struct Scribbler {
    data: std::sync::Arc<Vec<u8>>,
    at: usize,
    scribble_once: bool,
}

impl ha_cover::asynchronous::AsyncConnection for Scribbler {
    const KIND: ha_cover::Kind = ha_cover::Kind::File;

    fn try_dup(&self) -> std::io::Result<Self> {
        Ok(Self {
            data: self.data.clone(),
            at: self.at,
            scribble_once: false,
        })
    }

    fn descriptor(&self) -> Option<std::os::fd::BorrowedFd<'_>> {
        None
    }

    fn poll_read(
        &mut self,
        _: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let n = buf.remaining().min(self.data.len() - self.at);
        buf.put_slice(&self.data[self.at..self.at + n]);
        if std::mem::take(&mut self.scribble_once) {
            return std::task::Poll::Ready(Err(std::io::Error::from_raw_os_error(libc::ENOTCONN)));
        }
        self.at += n;
        std::task::Poll::Ready(Ok(()))
    }

    fn poll_write(
        &mut self,
        _: &mut std::task::Context<'_>,
        _: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::task::Poll::Ready(Err(std::io::ErrorKind::Unsupported.into()))
    }
}

#[tokio::test]
async fn bytes_a_failed_read_left_in_the_buffer_are_not_delivered() {
    let data = std::sync::Arc::new(bytes(100, 11));
    let conn = Scribbler {
        data: data.clone(),
        at: 10,
        scribble_once: true,
    };
    let mut cover = builder()
        .attach(
            conn,
            |f: &AsyncFailure<'_, Scribbler>, _: &mut ()| -> BoxFuture<'_, _> {
                let fresh = Scribbler {
                    data: f.dead().data.clone(),
                    at: f.dead().at,
                    scribble_once: false,
                };
                Box::pin(async move { Ok(fresh) })
            },
            (),
        )
        .unwrap();
    let mut buf = [0; 20];
    let n = cover.read(&mut buf).await.unwrap();
    assert_eq!(
        &buf[..n],
        &data[10..30],
        "the retransmitted read's bytes, once, not the failed read's too"
    );
    assert_eq!(cover.control().stats().recoveries, 1);
}

#[tokio::test]
async fn into_parts_gives_the_handle_back_only_from_the_last_member() {
    let data = bytes(1000, 6);
    let scratch = scratch_file(&data);
    let plan = Plan::new().at(1, Fault::Die(libc::ENOTCONN));
    let conn = faulty_file(&plan, &scratch.path, &read_only()).await;
    let mut cover = builder()
        .attach(conn, ha_cover::asynchronous::by_handle, Derived::default())
        .unwrap();
    assert_eq!(read_in_chunks(&mut cover, 100).await.unwrap(), data);
    let dup = cover.dup().unwrap();
    let (_, handle) = dup.into_parts();
    assert!(handle.is_none(), "another member still uses the handle");
    let (file, handle) = cover.into_parts();
    let handle = handle.expect("the last member takes the handle");
    assert_eq!((handle.offset, handle.recoveries), (data.len() as u64, 1));
    drop(file);
}

#[tokio::test]
async fn suspension_is_visible_to_every_member() {
    let scratch = scratch_file(b"x");
    let conn = faulty_file(&Plan::new(), &scratch.path, &read_only()).await;
    let cover = builder()
        .attach(conn, ha_cover::asynchronous::reopen_seek, ())
        .unwrap();
    let dup = cover.dup().unwrap();
    assert!(!dup.control().is_suspended());
    cover.control().suspend();
    assert!(dup.control().is_suspended());
    dup.control().enable();
    assert!(!cover.control().is_suspended());
}

fn append_only() -> std::fs::OpenOptions {
    std::fs::OpenOptions::new().append(true).clone()
}

fn slow_reopen<'a>(
    failure: &'a AsyncFailure<'a, Conn>,
    _: &'a mut (),
) -> BoxFuture<'a, Result<Conn, AttemptError>> {
    Box::pin(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        failure.reopen().await
    })
}

/// An append lands, the server dies before answering, and the caller's
/// timeout drops the write while the recovery runs. The caller's next write is
/// a new call: it must be appended, not credited with the dropped one's bytes.
async fn append_after_a_dropped_append(second: &mut [u8], refill: bool) -> Vec<u8> {
    let scratch = scratch_file(b"start\n");
    let plan = Plan::new().at(0, Fault::DieAfter(libc::ENOTCONN));
    let conn = faulty_file(&plan, &scratch.path, &append_only()).await;
    let mut cover = builder().attach(conn, slow_reopen, ()).unwrap();
    let first = if refill {
        second.to_vec()
    } else {
        b"AAAA\n".to_vec()
    };
    let target: &[u8] = if refill { second } else { &first };
    let dropped = tokio::time::timeout(Duration::from_millis(5), cover.write(target)).await;
    assert!(
        dropped.is_err(),
        "the write was still waiting for the recovery"
    );
    if refill {
        // The same buffer, the same length, new bytes.
        second.fill(b'B');
        *second.last_mut().unwrap() = b'\n';
    }
    let n = cover.write(second).await.unwrap();
    assert_eq!(n, second.len(), "the new write is written whole");
    assert_eq!(cover.control().stats().recoveries, 1);
    let written = std::fs::read(&scratch.path).unwrap();
    assert_eq!(
        written,
        [&b"start\n"[..], &first, second].concat(),
        "the dropped append landed once, the new one after it"
    );
    written
}

#[tokio::test]
async fn a_new_append_after_one_dropped_mid_recovery_is_not_taken_for_it() {
    append_after_a_dropped_append(&mut b"BBBBBBB\n".to_vec(), false).await;
    // Shorter than the dropped one: once answered as indeterminate.
    append_after_a_dropped_append(&mut b"BB\n".to_vec(), false).await;
}

#[tokio::test]
async fn a_new_append_from_the_dropped_ones_buffer_is_not_taken_for_it() {
    let mut buf = b"AAAA\n".to_vec();
    append_after_a_dropped_append(&mut buf, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recovery_left_by_a_dropped_read_is_finished_by_a_dup_in_another_task() {
    let data = bytes(5000, 9);
    let scratch = scratch_file(&data);
    let plan = Plan::new()
        .at(2, Fault::Die(libc::ENOTCONN))
        .fail_reopens(1, libc::ENOENT);
    let conn = faulty_file(&plan, &scratch.path, &read_only()).await;
    let mut cover = builder().attach(conn, slow_reopen_seek, ()).unwrap();
    let dup = cover.dup().unwrap();
    let mut got = Vec::new();
    let mut buf = [0; 300];
    while got.len() < 600 {
        let n = cover.read(&mut buf).await.unwrap();
        got.extend_from_slice(&buf[..n]);
    }
    let dropped = tokio::time::timeout(Duration::from_millis(5), cover.read(&mut buf)).await;
    assert!(
        dropped.is_err(),
        "the read was still waiting for the recovery"
    );
    let expected = data.clone();
    tokio::spawn(async move {
        let mut dup = dup;
        let mut head = [0; 100];
        dup.read_exact_at(&mut head, 1000).await.unwrap();
        assert_eq!(&head[..], &expected[1000..1100]);
        assert_eq!(
            dup.control().stats().recoveries,
            1,
            "the dup joined the recovery"
        );
    })
    .await
    .unwrap();
    got.extend(read_in_chunks(&mut cover, 300).await.unwrap());
    assert_eq!(got, data, "the dropped read lost and repeated nothing");
    assert_eq!(cover.control().stats().recoveries, 1);
}

#[tokio::test]
async fn a_files_end_is_never_a_failure_even_when_told_so() {
    let data = bytes(100, 13);
    let scratch = scratch_file(&data);
    let file = File::open(&scratch.path).await.unwrap();
    let mut cover = builder()
        .eof_is_failure(true)
        .attach(file, ha_cover::asynchronous::reopen_seek, ())
        .unwrap();
    assert_eq!(read_in_chunks(&mut cover, 30).await.unwrap(), data);
    assert_eq!(
        cover.read(&mut [0; 10]).await.unwrap(),
        0,
        "EOF, not a recovery"
    );
    assert_eq!(cover.control().stats().failures, 0);
}

/// Polls `future` once, and drops it.
async fn poll_once<F: std::future::Future>(future: F) -> std::task::Poll<F::Output> {
    let mut future = std::pin::pin!(future);
    std::future::poll_fn(|cx| std::task::Poll::Ready(future.as_mut().poll(cx))).await
}

/// Two members of a group on an append-only file, the first with an append
/// whose future was dropped while the blocking pool still had it (should the
/// pool finish it before the poll returns, it tries again).
async fn dups_one_with_a_dropped_append(
    path: &std::path::Path,
) -> (
    ha_cover::asynchronous::AsyncCover<File>,
    ha_cover::asynchronous::AsyncCover<File>,
) {
    let mut first = ha_cover::asynchronous::AsyncCover::open_with(
        path,
        &append_only(),
        ha_cover::asynchronous::reopen,
        (),
    )
    .await
    .unwrap();
    let second = first.dup().unwrap();
    for _ in 0..100 {
        if poll_once(first.write(b"first\n")).await.is_pending() {
            return (first, second);
        }
        first.flush().await.unwrap();
    }
    panic!("no write was still under way when dropped");
}

/// A dup's append waits while another member's append is under way, and an
/// append whose future was dropped is still under way (its bytes are on the
/// blocking pool): the member keeps the group's slot until its next
/// operation returns, which finishes the dropped write first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dups_append_waits_for_one_dropped_under_way_until_its_member_moves_on() {
    let scratch = scratch_file(b"");
    let (mut first, mut second) = dups_one_with_a_dropped_append(&scratch.path).await;
    let waited = tokio::time::timeout(Duration::from_millis(200), second.write(b"second\n")).await;
    assert!(
        waited.is_err(),
        "a dup appended while another member's append was under way"
    );
    // The member's next operation finishes its dropped write and lets go.
    first.flush().await.unwrap();
    tokio::time::timeout(Duration::from_secs(5), second.write_all(b"second\n"))
        .await
        .expect("the slot was let go")
        .unwrap();
    let written = std::fs::read(&scratch.path).unwrap();
    assert!(
        written.ends_with(b"first\nsecond\n"),
        "{:?}",
        String::from_utf8_lossy(&written)
    );
}

/// A member dropped while its append holds the group's slot lets it go.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_dropped_with_an_append_under_way_lets_the_others_append() {
    let scratch = scratch_file(b"");
    let (first, mut second) = dups_one_with_a_dropped_append(&scratch.path).await;
    drop(first);
    tokio::time::timeout(Duration::from_secs(5), second.write_all(b"second\n"))
        .await
        .expect("the slot was let go")
        .unwrap();
}

type LogCover = ha_cover::asynchronous::AsyncCover<Conn>;

/// A dup of the group, for `logging_reopen`'s log line, and whether each
/// line was written.
static LOG: std::sync::Mutex<Option<LogCover>> = std::sync::Mutex::new(None);
static LOGGED: std::sync::Mutex<Vec<bool>> = std::sync::Mutex::new(Vec::new());

/// Appends a log line through a member of its own group, then reopens.
fn logging_reopen<'a>(
    failure: &'a AsyncFailure<'a, Conn>,
    _: &'a mut (),
) -> BoxFuture<'a, Result<Conn, AttemptError>> {
    Box::pin(async move {
        let log = LOG.lock().unwrap().take();
        if let Some(mut log) = log {
            let written = log.write(b"log\n").await.is_ok();
            LOGGED.lock().unwrap().push(written);
            *LOG.lock().unwrap() = Some(log);
        }
        failure.reopen().await
    })
}

/// A recovery function that appends through a member of its own group gets
/// that write's failure back (not recovered again) instead of waiting for
/// the group's append slot, which the append it recovers holds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recovery_function_appending_through_its_own_group_does_not_wait_for_the_append() {
    let scratch = scratch_file(b"");
    let plan = Plan::new();
    let conn = faulty_file(&plan, &scratch.path, &append_only()).await;
    let mut cover = builder().attach(conn, logging_reopen, ()).unwrap();
    *LOG.lock().unwrap() = Some(cover.dup().unwrap());
    plan.kill(libc::ENOTCONN);
    tokio::time::timeout(Duration::from_secs(10), cover.write_all(b"record\n"))
        .await
        .expect("the append waits for its own recovery function's log line")
        .unwrap();
    assert_eq!(
        *LOGGED.lock().unwrap(),
        [false],
        "the log line failed on the dead connection, once"
    );
    assert_eq!(cover.control().stats().recoveries, 1);
    assert_eq!(std::fs::read(&scratch.path).unwrap(), b"record\n");
}

/// A runtime whose blocking pool has one thread, which `dropped` keeps busy
/// so that the file operation it starts cannot finish before it is dropped.
fn one_blocking_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .max_blocking_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

/// Polls `operation` once, with the blocking pool's one thread held, and
/// drops it under way, as a timeout does.
async fn dropped<F: std::future::Future>(operation: F) {
    let (release, held) = std::sync::mpsc::channel::<()>();
    let (holding, busy) = tokio::sync::oneshot::channel();
    let blocker = tokio::task::spawn_blocking(move || {
        holding.send(()).unwrap();
        held.recv()
    });
    busy.await.unwrap();
    assert!(poll_once(operation).await.is_pending());
    release.send(()).unwrap();
    blocker.await.unwrap().unwrap();
}

fn read_write() -> std::fs::OpenOptions {
    std::fs::OpenOptions::new().read(true).write(true).clone()
}

/// A write whose future was dropped (a timeout) is still under way on the
/// blocking pool; the next write, from the same buffer refilled with the next
/// record, is a new write. It was given the dropped write's result by its
/// buffer's address and length alone: reported written, and not in the file.
#[test]
fn a_write_from_a_refilled_buffer_after_a_dropped_one_is_written() {
    one_blocking_thread().block_on(async {
        let scratch = scratch_file(&[b'.'; 128]);
        let file = File::open_with(&scratch.path, &read_write()).await.unwrap();
        let mut cover = builder()
            .attach(file, ha_cover::asynchronous::reopen_seek, ())
            .unwrap();
        let mut record = [b'1'; 64];
        dropped(cover.write_all(&record)).await;
        record.fill(b'2');
        cover.write_all(&record).await.unwrap();
        dropped(cover.write_all_at(&record, 0)).await;
        record.fill(b'3');
        cover.write_all_at(&record, 0).await.unwrap();
        cover.flush().await.unwrap();
        let written = std::fs::read(&scratch.path).unwrap();
        // The dropped writes may have landed or not; the ones reported are there.
        assert_eq!(&written[..64], &[b'3'; 64]);
        assert_eq!(&written[64..], &[b'2'; 64]);
    });
}

/// A read whose future was dropped fetched bytes the caller has not read:
/// the position a seek reports and counts from, and where a write goes, are
/// before them, as with tokio's own file. A seek dropped them and reported
/// the position after them (the next read skipped them), and a write went
/// after them.
#[test]
fn bytes_fetched_for_a_dropped_read_are_not_skipped_by_seeks_or_writes() {
    one_blocking_thread().block_on(async {
        let data = bytes(100, 5);
        let scratch = scratch_file(&data);
        let file = File::open_with(&scratch.path, &read_write()).await.unwrap();
        let mut cover = builder()
            .attach(file, ha_cover::asynchronous::reopen_seek, ())
            .unwrap();
        let mut buf = [0; 10];
        dropped(cover.read(&mut buf)).await;
        assert_eq!(cover.stream_position().await.unwrap(), 0);
        dropped(cover.read(&mut buf)).await;
        assert_eq!(cover.seek(std::io::SeekFrom::Current(5)).await.unwrap(), 5);
        let mut rest = Vec::new();
        cover.read_to_end(&mut rest).await.unwrap();
        assert_eq!(rest, data[5..]);

        cover.rewind().await.unwrap();
        dropped(cover.read(&mut buf)).await;
        cover.write_all(b"X").await.unwrap();
        cover.flush().await.unwrap();
        let mut expected = data.clone();
        expected[0] = b'X';
        assert_eq!(std::fs::read(&scratch.path).unwrap(), expected);
    });
}

/// A seek whose future was dropped once the cover had it under way is
/// abandoned when the next operation runs (tokio's file does the same: it
/// lets it finish first). It stayed pending in the cover, and the next seek's
/// future, which first completes any seek in progress, made it again: after a
/// read, `stream_position` went back to where the dropped seek went, and the
/// next read delivered the same bytes again.
#[test]
fn a_seek_dropped_under_way_is_not_made_again_by_the_next_seek() {
    one_blocking_thread().block_on(async {
        let data = bytes(100, 9);
        let scratch = scratch_file(&data);
        let mut cover = ha_cover::asynchronous::AsyncCover::open(
            &scratch.path,
            ha_cover::asynchronous::reopen_seek,
            (),
        )
        .await
        .unwrap();
        {
            let mut seek = std::pin::pin!(cover.seek(std::io::SeekFrom::Start(50)));
            // tokio's seek first completes any seek in progress (a
            // `Current(0)` here), then starts its own: poll until that one
            // is under way on the pool's one thread, held, and drop it.
            let mut polls = 0;
            loop {
                let (release, held) = std::sync::mpsc::channel::<()>();
                let (holding, busy) = tokio::sync::oneshot::channel();
                let blocker = tokio::task::spawn_blocking(move || {
                    holding.send(()).unwrap();
                    held.recv()
                });
                busy.await.unwrap();
                let poll = poll_once(seek.as_mut()).await;
                release.send(()).unwrap();
                blocker.await.unwrap().unwrap();
                assert!(poll.is_pending(), "the seek was done at once");
                polls += 1;
                if polls == 2 {
                    break;
                }
                // The pool's one thread takes its calls in turn: once this
                // one has run, the seek's first call is done.
                tokio::task::spawn_blocking(|| ()).await.unwrap();
            }
        }
        let mut buf = [0; 10];
        cover.read_exact(&mut buf).await.unwrap();
        assert_eq!(buf, data[50..60]);
        assert_eq!(cover.stream_position().await.unwrap(), 60);
        cover.read_exact(&mut buf).await.unwrap();
        assert_eq!(buf, data[60..70]);
    });
}

/// A sync whose future was dropped may still be under way; a write made
/// after it is not covered by it, and the sync asked for after the write
/// must be a sync of its own. It was given the dropped sync's result at
/// once: `sync_all` returned with the write perhaps not on the device.
#[test]
fn a_sync_after_a_write_is_not_answered_by_a_sync_dropped_before_it() {
    one_blocking_thread().block_on(async {
        let scratch = scratch_file(b"");
        let file = File::open_with(&scratch.path, &read_write()).await.unwrap();
        let mut cover = builder()
            .attach(file, ha_cover::asynchronous::reopen_seek, ())
            .unwrap();
        dropped(cover.sync_all()).await;
        cover.write_all(b"record\n").await.unwrap();
        // The dropped sync is done by now (the pool's one thread took it
        // before the write); the sync after the write waits for the thread.
        let (release, held) = std::sync::mpsc::channel::<()>();
        let (holding, busy) = tokio::sync::oneshot::channel();
        let blocker = tokio::task::spawn_blocking(move || {
            holding.send(()).unwrap();
            held.recv()
        });
        busy.await.unwrap();
        let synced = poll_once(cover.sync_all()).await;
        release.send(()).unwrap();
        blocker.await.unwrap().unwrap();
        assert!(
            synced.is_pending(),
            "a sync after a write returned without syncing"
        );
        cover.sync_all().await.unwrap();
    });
}

/// Dups share the file's position. The bytes a read fetched for a member
/// whose caller gave up are that member's next read's; when another member
/// met a death and the recovery put the group after them (where the dead
/// connection was), moving to the new connection dropped them: read by no
/// one.
#[test]
fn bytes_fetched_for_a_dropped_read_survive_a_recovery_by_a_dup() {
    one_blocking_thread().block_on(async {
        let data = bytes(200, 11);
        let scratch = scratch_file(&data);
        let plan = Plan::new();
        let conn = faulty_file(&plan, &scratch.path, &read_only()).await;
        let mut first = builder()
            .attach(conn, ha_cover::asynchronous::reopen_seek, ())
            .unwrap();
        let mut second = first.dup().unwrap();
        let mut buf = [0; 10];
        dropped(first.read(&mut buf)).await;
        // The pool's one thread takes its calls in turn: the dropped read
        // is done once this is.
        tokio::task::spawn_blocking(|| ()).await.unwrap();
        plan.kill(libc::ENOTCONN);
        let mut other = [0; 20];
        second.read_exact(&mut other).await.unwrap();
        assert_eq!(other, data[10..30]);
        first.read_exact(&mut buf).await.unwrap();
        assert_eq!(buf, data[..10], "the bytes fetched before the death");
        assert_eq!(first.control().stats().recoveries, 1);
    });
}

/// The same with a handle that follows transfers and recovers at its
/// offset: the group goes on where the bytes delivered end, so the bytes the
/// dropped read fetched are read again from there, and not carried over as
/// well (which would deliver them twice).
#[test]
fn bytes_fetched_for_a_dropped_read_are_not_doubled_by_an_offset_handle() {
    one_blocking_thread().block_on(async {
        let data = bytes(200, 12);
        let scratch = scratch_file(&data);
        let plan = Plan::new();
        let conn = faulty_file(&plan, &scratch.path, &read_only()).await;
        let mut first = builder()
            .attach(
                conn,
                |f: &AsyncFailure<'_, Conn>, h: &mut OffsetHandle| -> BoxFuture<'_, _> {
                    let offset = h.offset;
                    Box::pin(async move { f.reopen_at(offset).await })
                },
                OffsetHandle::default(),
            )
            .unwrap();
        let mut second = first.dup().unwrap();
        let mut buf = [0; 10];
        dropped(first.read(&mut buf)).await;
        tokio::task::spawn_blocking(|| ()).await.unwrap();
        plan.kill(libc::ENOTCONN);
        let mut other = [0; 20];
        second.read_exact(&mut other).await.unwrap();
        assert_eq!(other, data[..20]);
        first.read_exact(&mut buf).await.unwrap();
        assert_eq!(buf, data[20..30], "each byte once");
    });
}
