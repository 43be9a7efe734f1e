use std::io::{self, Write};

use ha_cover::{Recoverable, ha_connection};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen)]
struct Log {
    #[ha(recoveries)]
    reopened: u64,
}

#[ha_connection(file, mode = append, handle = Log, attempts = 10, backoff = none)]
struct Journal;

// No handle: an append-only file recovers by reopening, without a seek.
#[ha_connection(file, mode = append)]
struct Plain;

#[allow(dead_code)]
fn usage() -> io::Result<()> {
    let mut journal = Journal::create("/mnt/fuse/journal", Log::default())?;
    writeln!(journal, "entry {}", 1)?;
    journal.sync_all()?;
    let _: u64 = journal.with_handle(|h| h.reopened);
    let mut plain = Plain::open("/mnt/fuse/plain")?;
    plain.write_all(b"x")?;
    Ok(())
}

fn main() {}
