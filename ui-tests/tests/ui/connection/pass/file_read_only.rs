use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};

use ha_cover::{Recoverable, ha_connection};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    curr_offset: u64,
    #[ha(recoveries)]
    nr: u32,
}

/// The seed's file.
#[ha_connection(file, mode = read_only, handle = Handle,
                attempts = 5, backoff = exponential(10ms, 2s), deadline = 30s, name = "testfile")]
struct TestFile;

#[allow(dead_code)]
fn usage() -> io::Result<()> {
    let mut f = TestFile::open("/net/machine99/home/test/testfile", Handle::default())?;
    let mut buf = [0; 15];
    f.read(&mut buf)?;
    f.read_exact(&mut buf)?;
    f.seek(SeekFrom::Start(3))?;
    f.rewind()?;
    f.read_at(&mut buf, 7)?;
    f.sync_all()?;
    let f2: TestFile = f.dup()?;
    let _: u32 = f.with_handle(|h| h.nr);
    let _: u64 = f.control().stats().recoveries;
    f.control().suspend();
    f.control().enable();
    let mut lines = BufReader::new(f2).lines();
    let _ = lines.next();
    let _: (std::fs::File, Option<Handle>) = f.into_parts();
    let attached = TestFile::attach(std::fs::File::open("/etc/hostname")?, Handle::default())?;
    let _: std::fs::File = attached.into_inner();
    Ok(())
}

fn main() {}
