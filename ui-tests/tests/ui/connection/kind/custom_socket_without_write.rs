use std::io::{self, Read};
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::net::UnixStream;

use ha_cover::{Connection, Kind, Peer, SocketConnection, ha_connection};

// A socket connection of the user's with `std::io::Write` only: a cover
// writes through `WriteConnection`.
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

impl io::Write for Framed {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[ha_connection(socket = Framed, mode = read_write, write_policy = never)]
struct FramedSocket;

fn main() {}
