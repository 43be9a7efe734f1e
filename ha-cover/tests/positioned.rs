//! Positioned I/O through `&self`: threads that share one cover read at
//! offsets with no dup each, and one recovery serves them all; the cover's
//! own `&mut self` calls go on afterwards on the new connection. Deaths come
//! from the fault-injection connection, which keeps a dead descriptor dead
//! until something is put in its place.

mod common;

use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::fs::FileExt;
use std::sync::{Arc, Barrier};
use std::thread;

use common::{bytes, scratch_file};
use ha_cover::fault::{Fault, Faulty, Plan};
use ha_cover::{Backoff, Builder, Connection, Cover, Failure, Kind};

const THREADS: usize = 4;
const ROUNDS: usize = 50;

#[test]
fn threads_share_one_cover_and_one_recovery() {
    let data = bytes(64 * THREADS, 7);
    let scratch = scratch_file(&data);
    // The 30th operation finds the server dead; the descriptor stays dead.
    let plan = Plan::new().at(30, Fault::Die(libc::ENOTCONN));
    let cover: Cover<_> = Builder::new()
        .backoff(Backoff::none())
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            ha_cover::reopen,
            (),
        )
        .unwrap();
    let cover = Arc::new(cover);
    let data = Arc::new(data);
    let start = Arc::new(Barrier::new(THREADS));
    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let (cover, data, start) = (Arc::clone(&cover), Arc::clone(&data), Arc::clone(&start));
            thread::spawn(move || {
                start.wait();
                for _ in 0..ROUNDS {
                    let mut buf = [0; 64];
                    let offset = (t * 64) as u64;
                    FileExt::read_exact_at(&*cover, &mut buf, offset).unwrap();
                    assert_eq!(buf, data[t * 64..(t + 1) * 64]);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let stats = cover.control().stats();
    assert_eq!(
        stats.recoveries, 1,
        "one recovery for every thread: {stats:?}"
    );
    assert_eq!(plan.reopens(), 1);
    let shown = format!("{cover:?}");
    assert!(shown.contains("generation: 1"), "{shown}");

    // The cover's own calls through `&mut self` go on, on the new connection.
    let mut cover = Arc::into_inner(cover).unwrap();
    let mut all = Vec::new();
    cover.read_to_end(&mut all).unwrap();
    assert_eq!(all, *data);
    assert_eq!(cover.control().stats().recoveries, 1);
}

#[test]
fn a_dup_moves_to_the_connection_a_shared_call_recovered() {
    let data = bytes(4096, 9);
    let scratch = scratch_file(&data);
    let plan = Plan::new().at(1, Fault::Die(libc::ENOTCONN));
    let mut cover: Cover<_> = Builder::new()
        .backoff(Backoff::none())
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            ha_cover::reopen,
            (),
        )
        .unwrap();
    let mut dup = cover.dup().unwrap();
    let mut buf = [0; 16];
    // Op 0 works; op 1 (through `&self`) finds the server dead and recovers.
    cover.read_exact_at(&mut buf, 0).unwrap();
    cover.read_exact_at(&mut buf, 100).unwrap();
    assert_eq!(buf, data[100..116]);
    // Both members, through `&mut self`, are on the new connection.
    dup.read_exact(&mut buf).unwrap();
    assert_eq!(buf, data[..16]);
    cover.read_exact(&mut buf).unwrap();
    assert_eq!(buf, data[16..32]);
    assert_eq!(cover.control().stats().recoveries, 1);
    assert_eq!(plan.reopens(), 1);
}

#[test]
fn a_dup_left_behind_by_its_group_moves_before_a_shared_call() {
    let old = bytes(4096, 20);
    let new = bytes(4096, 31);
    let scratch = scratch_file(&old);
    // The dup's read fails once; the description stays open, readable: only
    // the group's recovery leaves it.
    let plan = Plan::new().at(1, Fault::Fail(libc::ENOTCONN));
    let mut cover: Cover<_> = Builder::new()
        .backoff(Backoff::none())
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            ha_cover::reopen,
            (),
        )
        .unwrap();
    let mut dup = cover.dup().unwrap();
    let mut buf = [0; 16];
    cover.read_exact_at(&mut buf, 0).unwrap();
    assert_eq!(buf, old[..16]);
    // The file at the path is replaced: a recovery opens the new one.
    let next = scratch.dir.path().join("next");
    std::fs::write(&next, &new).unwrap();
    std::fs::rename(&next, &scratch.path).unwrap();
    dup.read_exact(&mut buf).unwrap();
    assert_eq!(buf, new[..16]);
    assert_eq!(cover.control().stats().recoveries, 1);
    cover.read_exact_at(&mut buf, 100).unwrap();
    assert_eq!(
        buf,
        new[100..116],
        "a shared call reads the file its group moved to, not the one it left"
    );
    assert_eq!(cover.control().stats().recoveries, 1);
    assert_eq!(plan.reopens(), 1);
}

/// A file connection of the user's own that does not implement `repoint`:
/// a recovery made through `&self` cannot be put under the cover's
/// descriptor.
struct Plain(File);

impl Connection for Plain {
    const KIND: Kind = Kind::File;
    fn try_dup(&self) -> io::Result<Self> {
        Ok(Plain(self.0.try_clone()?))
    }
    fn descriptor(&self) -> Option<BorrowedFd<'_>> {
        Some(self.0.as_fd())
    }
}

impl FileExt for Plain {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        self.0.read_at(buf, offset)
    }
    fn write_at(&self, buf: &[u8], offset: u64) -> io::Result<usize> {
        self.0.write_at(buf, offset)
    }
}

impl Read for Plain {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

#[test]
fn a_connection_that_cannot_repoint_keeps_its_recovery_for_a_mut_call() {
    let data = bytes(4096, 11);
    let scratch = scratch_file(&data);
    let plan = Plan::new().at(1, Fault::Die(libc::ENOTCONN));
    let (path, again) = (scratch.path.clone(), plan.clone());
    let mut cover: Cover<Faulty<Plain>> = Builder::new()
        .backoff(Backoff::none())
        .attach(
            plan.wrap(Plain(File::open(&scratch.path).unwrap())),
            move |_: &Failure<'_, Faulty<Plain>>, _: &mut ()| {
                Ok(again.wrap(Plain(File::open(&path)?)))
            },
            (),
        )
        .unwrap();
    let mut buf = [0; 16];
    cover.read_exact_at(&mut buf, 0).unwrap();
    let err = cover.read_exact_at(&mut buf, 100).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::Unsupported, "{err}");
    let err = cover.read_exact_at(&mut buf, 100).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::Unsupported, "{err}");
    assert_eq!(
        cover.control().stats().recoveries,
        1,
        "one recovery, kept: not one for each call on the dead connection"
    );
    // A call through `&mut self` moves to the new connection, and the
    // shared calls work again.
    cover.read_exact(&mut buf).unwrap();
    assert_eq!(buf, data[..16]);
    cover.read_exact_at(&mut buf, 200).unwrap();
    assert_eq!(buf, data[200..216]);
    assert_eq!(cover.control().stats().recoveries, 1);
}
