use std::io::{self, Read, Seek, SeekFrom, Write};

use ha_cover::{Recoverable, ha_connection};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Position {
    #[ha(offset)]
    offset: u64,
}

#[ha_connection(file, mode = read_write, handle = Position,
                backoff = fixed(50ms), deadline = none, recover_on = [default, EIO])]
struct Database;

#[allow(dead_code)]
fn usage() -> io::Result<()> {
    let mut db = Database::open_with(
        "/mnt/nfs/db",
        std::fs::OpenOptions::new().read(true).write(true),
        Position::default(),
    )?;
    let mut page = [0; 4096];
    db.read_exact_at(&mut page, 8192)?;
    db.write_all_at(&page, 8192)?;
    db.seek(SeekFrom::End(0))?;
    db.write_all(b"log")?;
    db.rewind()?;
    db.read(&mut page)?;
    let _ = db.stream_position()?;
    db.control().set_attempt_limit(Some(3));
    db.set_recovery(ha_cover::reopen);
    db.restore_recovery();
    Ok(())
}

fn main() {}
