//! Positioned I/O through `&self`: threads that share one cover read at
//! offsets with no dup each, and one recovery serves them all; the cover's
//! own `&mut self` calls go on afterwards on the new connection. Deaths come
//! from the fault-injection connection, which keeps a dead descriptor dead
//! until something is put in its place.

mod common;

use std::fs::File;
use std::io::Read;
use std::os::unix::fs::FileExt;
use std::sync::{Arc, Barrier};
use std::thread;

use common::{bytes, scratch_file};
use ha_cover::fault::{Fault, Plan};
use ha_cover::{Backoff, Builder, Cover};

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
