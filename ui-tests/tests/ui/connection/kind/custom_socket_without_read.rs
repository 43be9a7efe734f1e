use std::io;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::net::UnixStream;

use ha_cover::{Connection, Kind, Peer, SocketConnection, WriteConnection, ha_connection};

// A socket connection of the user's without `Read`, declared to read.
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


impl WriteConnection for Framed {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        WriteConnection::write(&mut self.0, buf)
    }
}

#[ha_connection(socket = Framed, mode = read_write, write_policy = never)]
struct FramedSocket;

fn main() {}
