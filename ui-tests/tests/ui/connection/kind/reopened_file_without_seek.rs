use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsFd, BorrowedFd};
use std::path::Path;

use ha_cover::{Connection, FileConnection, Kind, ha_connection};

// A file connection of the user's that forgot `Seek`, recovered without seeking:
// a `file = T` declaration seeks all the same.
struct Counted(File);

impl Connection for Counted {
    const KIND: Kind = Kind::File;
    fn try_dup(&self) -> io::Result<Self> {
        self.0.try_clone().map(Counted)
    }
    fn descriptor(&self) -> Option<BorrowedFd<'_>> {
        Some(self.0.as_fd())
    }
}

impl FileConnection for Counted {
    fn reopen(dead: &Self, path: &Path, flags: std::ffi::c_int) -> io::Result<Self> {
        File::reopen(&dead.0, path, flags).map(Counted)
    }
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

#[ha_connection(file = Counted, mode = read_only, recovery = reopen)]
struct CountedFile;

fn main() {}
