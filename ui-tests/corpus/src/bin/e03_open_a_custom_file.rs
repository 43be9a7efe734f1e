//! expect: one error at `open`: a connection type of one's own is covered with attach
use ha_cover::{Connection, FileConnection, Kind, ha_connection};
use std::io::{self, Read, Seek, SeekFrom};
use std::os::fd::{AsFd, BorrowedFd};
use std::path::Path;

struct Blob(std::fs::File);

impl Read for Blob {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}
impl Seek for Blob {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.0.seek(pos)
    }
}
impl Connection for Blob {
    const KIND: Kind = Kind::File;
    fn try_dup(&self) -> io::Result<Self> {
        self.0.try_clone().map(Blob)
    }
    fn descriptor(&self) -> Option<BorrowedFd<'_>> {
        Some(self.0.as_fd())
    }
}
impl FileConnection for Blob {
    fn reopen(_dead: &Self, path: &Path, flags: std::os::raw::c_int) -> io::Result<Self> {
        let _ = flags;
        std::fs::File::open(path).map(Blob)
    }
}

#[ha_connection(file = Blob, mode = read_only)]
struct Store;

fn main() -> io::Result<()> {
    let mut store = Store::open("/srv/blob")?;
    let mut bytes = Vec::new();
    store.read_to_end(&mut bytes)?;
    Ok(())
}
