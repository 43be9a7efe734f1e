use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::net::UnixStream;
use std::path::Path;

use ha_cover::{Connection, FileConnection, Kind, Peer, SocketConnection, WriteConnection, ha_connection};

/// A file connection of the user's own: it counts its reopens.
struct Counted(File, u32);

impl Connection for Counted {
    const KIND: Kind = Kind::File;
    fn try_dup(&self) -> io::Result<Self> {
        Ok(Counted(self.0.try_clone()?, self.1))
    }
    fn descriptor(&self) -> Option<BorrowedFd<'_>> {
        Some(self.0.as_fd())
    }
}

impl FileConnection for Counted {
    fn reopen(dead: &Self, path: &Path, flags: std::ffi::c_int) -> io::Result<Self> {
        Ok(Counted(File::reopen(&dead.0, path, flags)?, dead.1 + 1))
    }
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl Seek for Counted {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.0.seek(pos)
    }
}

impl WriteConnection for Counted {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        WriteConnection::write(&mut self.0, buf)
    }
}

/// A socket connection of the user's own.
struct Framed(UnixStream);

impl Connection for Framed {
    const KIND: Kind = Kind::Socket;
    fn try_dup(&self) -> io::Result<Self> {
        self.0.try_clone().map(Framed)
    }
    fn descriptor(&self) -> Option<BorrowedFd<'_>> {
        Some(self.0.as_fd())
    }
}

impl SocketConnection for Framed {
    fn peer(&self) -> io::Result<Peer> {
        self.0.peer()
    }
    fn reconnect(dead: &Self, peer: &Peer, timeout: Option<std::time::Duration>) -> io::Result<Self> {
        UnixStream::reconnect(&dead.0, peer, timeout).map(Framed)
    }
}

impl Read for Framed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl WriteConnection for Framed {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        WriteConnection::write(&mut self.0, buf)
    }
}

#[ha_connection(file = Counted, mode = read_write, recover_on = [default, EIO])]
struct CountedFile;

#[ha_connection(socket = Framed, mode = read_write, write_policy = replay)]
struct FramedSocket;

/// Recovered without seeking back, and seeking all the same.
#[ha_connection(file = Counted, mode = read_only, recovery = reopen)]
struct ReopenedFile;

#[allow(dead_code)]
fn usage() -> io::Result<()> {
    let mut file = CountedFile::attach(Counted(File::open("/etc/hostname")?, 0))?;
    file.seek(SeekFrom::Start(1))?;
    file.write_all(b"x")?;
    let _: u32 = file.get_ref().1;
    let mut reopened = ReopenedFile::attach(Counted(File::open("/etc/hostname")?, 0))?;
    reopened.rewind()?;
    let mut socket = FramedSocket::attach(Framed(UnixStream::connect("/run/echo.sock")?))?;
    socket.write_all(b"ping\n")?;
    let mut reply = [0; 5];
    socket.read_exact(&mut reply)?;
    Ok(())
}

fn main() {}
