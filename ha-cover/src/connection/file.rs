//! `std::fs::File` as a covered connection.

use std::fs::{File, OpenOptions};
use std::io::{self, IoSlice, Read, Write};
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use super::{Connection, FileConnection, Kind, SharedConnection, SyncConnection, WriteConnection};
use crate::origin::Origin;

impl Connection for File {
    const KIND: Kind = Kind::File;

    fn repoint(&self, fresh: Self) -> Result<(), Self> {
        super::repoint_descriptor(self, fresh)
    }

    fn try_dup(&self) -> io::Result<Self> {
        self.try_clone()
    }

    fn descriptor(&self) -> Option<BorrowedFd<'_>> {
        Some(self.as_fd())
    }

    fn origin(&self) -> Origin {
        Origin::of_descriptor(self.as_fd(), None)
    }
}

impl WriteConnection for File {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Write::write(self, buf)
    }

    #[inline]
    fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        Write::write_vectored(self, bufs)
    }
}

impl SharedConnection for File {
    #[inline]
    fn read_shared(&self, buf: &mut [u8]) -> io::Result<usize> {
        Read::read(&mut &*self, buf)
    }

    #[inline]
    fn write_shared(&self, buf: &[u8]) -> io::Result<usize> {
        Write::write(&mut &*self, buf)
    }
}

impl SyncConnection for File {
    fn sync_all(&self) -> io::Result<()> {
        File::sync_all(self)
    }

    fn sync_data(&self) -> io::Result<()> {
        File::sync_data(self)
    }
}

impl FileConnection for File {
    fn reopen(_dead: &Self, path: &Path, flags: libc::c_int) -> io::Result<Self> {
        open_flags(path, flags)
    }
}

/// Opens `path` with raw `open(2)` flags through std (which adds `O_CLOEXEC`).
pub(crate) fn open_flags(path: &Path, flags: libc::c_int) -> io::Result<File> {
    let access = flags & libc::O_ACCMODE;
    OpenOptions::new()
        .read(access != libc::O_WRONLY)
        .write(access != libc::O_RDONLY)
        .custom_flags(flags & !libc::O_ACCMODE)
        .open(path)
}
