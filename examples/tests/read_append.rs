//! A journal opened to read and append (replayed, then appended to): it
//! reads from its start, as std's does, and a real death of our FUSE
//! server in the middle of the replay loses none of it. Before, the cover
//! started at the end (the replay read nothing) and a recovery put it
//! there again (the rest of the journal was never read).

use std::fs::OpenOptions;
use std::io::{Read, Write};
use std::time::Duration;

use ha_cover::{Backoff, Cover};
use ha_cover_world::require;
use ha_cover_world::{Component, FuseServer};

const T: Duration = Duration::from_secs(10);

#[test]
fn a_journal_opened_to_read_and_append_reads_from_its_start_as_std() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal");
    std::fs::write(&path, b"entry 1\nentry 2\n").unwrap();
    let mut std_file = OpenOptions::new()
        .read(true)
        .append(true)
        .open(&path)
        .unwrap();
    let mut plain = String::new();
    std_file.read_to_string(&mut plain).unwrap();
    let mut cover = Cover::open_with(
        &path,
        OpenOptions::new().read(true).append(true),
        ha_cover::reopen_seek,
        (),
    )
    .unwrap();
    let mut covered = String::new();
    cover.read_to_string(&mut covered).unwrap();
    assert_eq!(covered, plain);
}

#[test]
fn a_journal_replay_goes_on_where_it_was_across_a_real_death() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let entries: String = (0..20000).map(|i| format!("entry {i:08}\n")).collect();
    std::fs::write(fs.backing("journal"), &entries).unwrap();
    let mut cover = Cover::builder()
        .backoff(Backoff::fixed(Duration::from_millis(5)))
        .open_with(
            fs.path("journal"),
            OpenOptions::new().read(true).append(true),
            ha_cover::reopen_seek,
            (),
        )
        .unwrap();
    let mut got = vec![0; 4096];
    cover.read_exact(&mut got).unwrap();
    fs.supervisor().kill_and_wait(T).unwrap();
    fs.supervisor().wait_ready(T).unwrap();
    cover.read_to_end(&mut got).unwrap();
    assert!(
        got == entries.as_bytes(),
        "{} bytes of {}",
        got.len(),
        entries.len()
    );
    assert_eq!(cover.control().stats().recoveries, 1);
    cover.write_all(b"entry new\n").unwrap();
    drop(cover);
    let file = std::fs::read(fs.backing("journal")).unwrap();
    assert!(file.ends_with(b"entry 00019999\nentry new\n"));
    assert_eq!(file.len(), entries.len() + 10);
}
