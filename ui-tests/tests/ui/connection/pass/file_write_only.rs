use std::io::{self, Seek, SeekFrom, Write};

use ha_cover::ha_connection;

// No handle: the constructors take none, and recovery reopens and seeks back
// to where the dead connection was.
#[ha_connection(file, mode = write_only, total = 100)]
struct Output;

#[allow(dead_code)]
fn usage() -> io::Result<()> {
    let mut out = Output::create("/mnt/fuse/out.bin")?;
    out.write_all(b"header")?;
    write!(out, "{} records", 3)?;
    out.seek(SeekFrom::Start(0))?;
    out.write_at(b"H", 0)?;
    out.flush()?;
    out.sync_data()?;
    let mut again = Output::open("/mnt/fuse/out.bin")?;
    io::copy(&mut io::empty(), &mut again)?;
    let _: &ha_cover::Cover<std::fs::File> = again.as_cover();
    Ok(())
}

fn main() {}
