//! expect: one error at `seek`: an append-only file has no position
use ha_cover::ha_connection;
use std::io::{Seek, SeekFrom, Write};

#[ha_connection(file, mode = append)]
struct Journal;

fn main() -> std::io::Result<()> {
    let mut journal = Journal::open("/var/lib/app/journal")?;
    let end = journal.seek(SeekFrom::End(0))?;
    writeln!(journal, "entry at {end}")?;
    Ok(())
}
