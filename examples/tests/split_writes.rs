//! One long write that a real death splits (our FUSE server SIGKILLs
//! itself when the kernel's write requests reach a mark: those before it
//! land, the one that reaches it does not), through each way a Rust
//! program writes a file: `write_all` through `&mut` and `&Cover`,
//! `write_all_at`, an append and a dup'ed cover's append, `write_vectored`.
//! The file holds the data once, whole, after one recovery.

use std::fs::OpenOptions;
use std::io::{IoSlice, Write};
use std::sync::Arc;
use std::time::Duration;

use ha_cover::{Backoff, Cover};
use ha_cover_world::require;
use ha_cover_world::{Component, FuseServer};

const LEN: usize = 4 << 20;

fn data() -> Vec<u8> {
    (0..LEN as u64).map(|k| ((k * 7 + 3) % 251) as u8).collect()
}

fn check(server: &FuseServer, name: &str, expected: &[u8], restarts: u64) {
    assert!(!server.kill_switch_armed(), "the server met its mark");
    assert_eq!(server.supervisor().restarts(), restarts + 1, "one death");
    let written = std::fs::read(server.backing(name)).unwrap();
    let first = written.iter().zip(expected).position(|(a, b)| a != b);
    assert!(
        written == expected,
        "{} bytes of {}, first difference at {first:?}",
        written.len(),
        expected.len()
    );
}

fn builder() -> ha_cover::Builder {
    Cover::builder().backoff(Backoff::fixed(Duration::from_millis(5)))
}

#[test]
fn a_write_all_a_death_splits_is_finished() {
    require!(Component::Fuse);
    let server = FuseServer::fuser_with_kill_switch().unwrap();
    let restarts = server.supervisor().restarts();
    server.kill_at_write_offset(2_500_000).unwrap();
    let mut f = builder()
        .create(server.path("f"), ha_cover::reopen_seek, ())
        .unwrap();
    let d = data();
    f.write_all(&d).unwrap();
    f.flush().unwrap();
    drop(f);
    check(&server, "f", &d, restarts);
}

#[test]
fn a_write_all_through_a_shared_cover_a_death_splits_is_finished() {
    require!(Component::Fuse);
    let server = FuseServer::fuser_with_kill_switch().unwrap();
    let restarts = server.supervisor().restarts();
    server.kill_at_write_offset(2_500_000).unwrap();
    let f = Arc::new(
        builder()
            .create(server.path("f"), ha_cover::reopen_seek, ())
            .unwrap(),
    );
    let d = data();
    (&*f).write_all(&d).unwrap();
    drop(f);
    check(&server, "f", &d, restarts);
}

#[test]
fn a_write_all_at_a_death_splits_is_finished() {
    require!(Component::Fuse);
    let server = FuseServer::fuser_with_kill_switch().unwrap();
    let restarts = server.supervisor().restarts();
    server.kill_at_write_offset(2_500_000).unwrap();
    let f = builder()
        .create(server.path("f"), ha_cover::reopen, ())
        .unwrap();
    let d = data();
    f.write_all_at(&d, 0).unwrap();
    drop(f);
    check(&server, "f", &d, restarts);
}

#[test]
fn an_append_a_death_splits_is_finished_once() {
    require!(Component::Fuse);
    let server = FuseServer::fuser_with_kill_switch().unwrap();
    let restarts = server.supervisor().restarts();
    let head = b"head of the log\n".to_vec();
    std::fs::write(server.backing("log"), &head).unwrap();
    server.kill_at_write_offset(2_500_000).unwrap();
    let mut f = builder()
        .open_with(
            server.path("log"),
            OpenOptions::new().append(true),
            ha_cover::reopen,
            (),
        )
        .unwrap();
    let d = data();
    f.write_all(&d).unwrap();
    drop(f);
    let mut expected = head;
    expected.extend_from_slice(&d);
    check(&server, "log", &expected, restarts);
}

#[test]
fn an_append_of_a_dup_a_death_splits_is_finished_once() {
    require!(Component::Fuse);
    let server = FuseServer::fuser_with_kill_switch().unwrap();
    let restarts = server.supervisor().restarts();
    std::fs::write(server.backing("log"), b"").unwrap();
    server.kill_at_write_offset(2_500_000).unwrap();
    let mut f = builder()
        .open_with(
            server.path("log"),
            OpenOptions::new().append(true),
            ha_cover::reopen,
            (),
        )
        .unwrap();
    let mut g = f.dup().unwrap();
    let d = data();
    g.write_all(&d).unwrap();
    f.write_all(b"tail\n").unwrap();
    drop((f, g));
    let mut expected = d.clone();
    expected.extend_from_slice(b"tail\n");
    check(&server, "log", &expected, restarts);
}

#[test]
fn a_vectored_write_a_death_splits_is_finished() {
    require!(Component::Fuse);
    let server = FuseServer::fuser_with_kill_switch().unwrap();
    let restarts = server.supervisor().restarts();
    server.kill_at_write_offset(2_500_000).unwrap();
    let mut f = builder()
        .create(server.path("f"), ha_cover::reopen_seek, ())
        .unwrap();
    let d = data();
    let mut done = 0;
    while done < d.len() {
        let rest = &d[done..];
        let half = rest.len() / 2;
        let n = f
            .write_vectored(&[IoSlice::new(&rest[..half]), IoSlice::new(&rest[half..])])
            .unwrap();
        assert!(n > 0);
        done += n;
    }
    drop(f);
    check(&server, "f", &d, restarts);
}
