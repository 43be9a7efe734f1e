use std::io::SeekFrom;

use ha_cover::ha_connection;

#[ha_connection(file, mode = append)]
struct Journal;

fn main() -> std::io::Result<()> {
    let mut journal = Journal::open("/mnt/fuse/journal")?;
    journal.seek(SeekFrom::Start(0))?;
    Ok(())
}
