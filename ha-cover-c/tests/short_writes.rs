//! Writes that come back short: `fwrite` on an `ha_fopen` stream whose
//! `write(2)`s are short (a FIFO and a signal, no server), and one `write`,
//! `pwrite` or `writev` that a real death splits (the FUSE server SIGKILLs
//! itself when the kernel's write requests reach a mark).

mod common;

use std::fs;

use common::{Program, compile};
use ha_cover_world::require;
use ha_cover_world::{Component, FuseServer};

#[test]
fn fwrite_on_ha_fopen_writes_everything_when_write_comes_back_short() {
    let exe = compile("short_fwrite", "", &[]);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let fifo = dir.path().join("fifo");
    let mut program = Program::start(&exe, &[fifo.to_str().expect("UTF-8")], &[]);
    // The setup does give short write(2)s...
    program.expect("plain short writes some read 1048576 mismatches 0");
    // ...which the stream's writes go on after, as a plain stream's do.
    program.expect("fwrite 1048576 error 0 flushed 0 read 1048576 mismatches 0");
    program.succeeds();
}

fn split_by_a_death(mode: &str) {
    let exe = compile("split_write", "", &[]);
    let server = FuseServer::fuser_with_kill_switch().expect("the FUSE server starts");
    let supervisor = server.supervisor();
    let restarts = supervisor.restarts();
    // Past the first of the kernel's write requests (1 MiB each at most), on
    // no boundary: the requests before it land, the one that reaches it does
    // not.
    server.kill_at_write_offset(2_500_000).expect("armed");
    let path = server.path("testfile");
    let mut program = Program::start(&exe, &[mode], &[("TESTFILE", path.as_os_str())]);
    program.expect(&format!("{mode} 4194304 of 4194304 recoveries 1"));
    program.succeeds();
    assert!(!server.kill_switch_armed(), "the server met its mark");
    assert_eq!(supervisor.restarts(), restarts + 1, "one death");
    let written = fs::read(server.backing("testfile")).expect("the file");
    let expected: Vec<u8> = (0..4u64 << 20).map(|k| ((k * 7 + 3) % 251) as u8).collect();
    let first_difference = written.iter().zip(&expected).position(|(a, b)| a != b);
    assert!(
        written == expected,
        "{mode}: {} bytes, first difference at {first_difference:?}",
        written.len()
    );
}

#[test]
fn a_write_that_a_death_splits_is_finished_and_returns_the_full_count() {
    require!(Component::Fuse);
    split_by_a_death("write");
}

#[test]
fn a_pwrite_that_a_death_splits_is_finished_at_its_offset() {
    require!(Component::Fuse);
    split_by_a_death("pwrite");
}

#[test]
fn a_writev_that_a_death_splits_is_finished_from_the_part_it_reached() {
    require!(Component::Fuse);
    split_by_a_death("writev");
}
