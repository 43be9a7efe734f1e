//! Positioned writes to a file opened `O_APPEND`, which Linux appends
//! whatever their offset: threads append to one log through a shared
//! cover, half with `write_all` through `&Cover`, half with
//! `write_all_at`, across real SIGKILLs of our FUSE server. A write that
//! reports success is in the file once; one whose fate is unknown says so.
//! Before positioned writes to such a file were taken for appends, 3 runs
//! of 4 failed: a `pwrite` that had landed was sent again (a second
//! record), and an append was credited with a `pwrite`'s growth.

use std::fs::OpenOptions;
use std::io::Write;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use ha_cover::{Backoff, Cover};
use ha_cover_world::require;
use ha_cover_world::{Component, FuseServer};

const T: Duration = Duration::from_secs(10);

fn record(t: usize, i: usize) -> Vec<u8> {
    let mut r = format!("t{t} r{i:06} ").into_bytes();
    r.resize(31, b'.');
    r.push(b'\n');
    r
}

#[test]
fn positioned_writes_and_appends_to_an_append_mode_log_land_once_each_across_deaths() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    std::fs::write(fs.backing("log"), b"").unwrap();
    let cover = Arc::new(
        Cover::builder()
            .backoff(Backoff::fixed(Duration::from_millis(5)))
            .open_with(
                fs.path("log"),
                OpenOptions::new().append(true),
                ha_cover::reopen,
                (),
            )
            .unwrap(),
    );
    let start = Arc::new(Barrier::new(5));
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let (cover, start) = (Arc::clone(&cover), Arc::clone(&start));
            thread::spawn(move || {
                start.wait();
                let mut outcome = Vec::new();
                for i in 0..400 {
                    let r = record(t, i);
                    let res = if t % 2 == 0 {
                        (&*cover).write_all(&r)
                    } else {
                        cover.write_all_at(&r, 0)
                    };
                    match res {
                        Ok(()) => outcome.push((r, true)),
                        Err(e) if ha_cover::is_indeterminate(&e) => outcome.push((r, false)),
                        Err(e) => panic!("{e}"),
                    }
                    thread::sleep(Duration::from_micros(300));
                }
                outcome
            })
        })
        .collect();
    start.wait();
    for _ in 0..8 {
        thread::sleep(Duration::from_millis(25));
        let deaths = fs.supervisor().deaths();
        fs.supervisor().kill().unwrap();
        fs.supervisor().wait_deaths(deaths + 1, T).unwrap();
        fs.supervisor().wait_ready(T).unwrap();
    }
    let outcomes: Vec<_> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let file = std::fs::read(fs.backing("log")).unwrap();
    assert_eq!(file.len() % 32, 0, "a torn record");
    let lines: Vec<&[u8]> = file.chunks(32).collect();
    let mut bad = Vec::new();
    let mut indeterminate = 0;
    for (r, ok) in &outcomes {
        let n = lines.iter().filter(|l| **l == &r[..]).count();
        if !ok {
            indeterminate += 1;
        }
        if (*ok && n != 1) || n > 1 {
            bad.push((String::from_utf8_lossy(r).into_owned(), *ok, n));
        }
    }
    let stats = cover.control().stats();
    assert!(
        bad.is_empty(),
        "(record, reported written, times in the file): {bad:?}"
    );
    assert!(stats.recoveries >= 1, "no death met: {stats:?}");
    assert!(indeterminate as u64 <= stats.indeterminate, "{stats:?}");
}
