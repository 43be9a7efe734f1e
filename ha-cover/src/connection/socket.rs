//! `UnixStream` and `TcpStream` as covered connections.

use std::io::{self, IoSlice};
use std::net::{TcpStream, ToSocketAddrs};
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::net::{SocketAddr as UnixAddr, UnixStream};
use std::time::Duration;

use super::{Connection, Kind, SharedConnection, SocketConnection, WriteConnection};
use crate::origin::Origin;
use crate::sys;

/// The address a socket connection was made to, where recovery reconnects.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Peer {
    /// A Unix-domain socket: a path, or a name in the abstract namespace.
    Unix(UnixAddr),
    /// A TCP address.
    Tcp(std::net::SocketAddr),
}

impl Peer {
    /// The peer at a Unix-socket path.
    pub fn unix(path: impl AsRef<std::path::Path>) -> io::Result<Self> {
        UnixAddr::from_pathname(path).map(Peer::Unix)
    }

    /// The first address `addr` resolves to.
    pub fn tcp(addr: impl ToSocketAddrs) -> io::Result<Self> {
        addr.to_socket_addrs()?
            .next()
            .map(Peer::Tcp)
            .ok_or_else(|| {
                io::Error::new(io::ErrorKind::InvalidInput, "address resolved to nothing")
            })
    }
}

impl std::fmt::Display for Peer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Peer::Unix(addr) => match addr.as_pathname() {
                Some(path) => write!(f, "unix:{}", path.display()),
                None => write!(f, "unix:{addr:?}"),
            },
            Peer::Tcp(addr) => write!(f, "tcp:{addr}"),
        }
    }
}

fn wrong_peer(peer: &Peer) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("cannot reconnect this socket type to {peer}"),
    )
}

macro_rules! socket_connection {
    ($ty:ty) => {
        impl Connection for $ty {
            const KIND: Kind = Kind::Socket;

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
                SocketConnection::peer(self).map_or(Origin::Unknown, Origin::Socket)
            }
        }

        impl WriteConnection for $ty {
            #[inline]
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                sys::send(self.as_fd(), buf)
            }

            #[inline]
            fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
                sys::send_vectored(self.as_fd(), bufs)
            }
        }

        impl SharedConnection for $ty {
            #[inline]
            fn read_shared(&self, buf: &mut [u8]) -> io::Result<usize> {
                io::Read::read(&mut &*self, buf)
            }

            #[inline]
            fn write_shared(&self, buf: &[u8]) -> io::Result<usize> {
                sys::send(self.as_fd(), buf)
            }
        }
    };
}

socket_connection!(UnixStream);
socket_connection!(TcpStream);

/// Whether the descriptor is in non-blocking mode; std has a setter but no getter.
fn is_nonblocking(fd: BorrowedFd<'_>) -> io::Result<bool> {
    Ok(sys::status_flags(fd)? & libc::O_NONBLOCK != 0)
}

impl SocketConnection for UnixStream {
    fn peer(&self) -> io::Result<Peer> {
        self.peer_addr().map(Peer::Unix)
    }

    fn reconnect(dead: &Self, peer: &Peer, _timeout: Option<Duration>) -> io::Result<Self> {
        // A Unix-socket connect never waits for a remote host: it is refused or
        // accepted at once, so there is nothing for the timeout to bound.
        let Peer::Unix(addr) = peer else {
            return Err(wrong_peer(peer));
        };
        let fresh = UnixStream::connect_addr(addr)?;
        fresh.set_read_timeout(dead.read_timeout()?)?;
        fresh.set_write_timeout(dead.write_timeout()?)?;
        fresh.set_nonblocking(is_nonblocking(dead.as_fd())?)?;
        Ok(fresh)
    }
}

impl SocketConnection for TcpStream {
    fn peer(&self) -> io::Result<Peer> {
        self.peer_addr().map(Peer::Tcp)
    }

    fn reconnect(dead: &Self, peer: &Peer, timeout: Option<Duration>) -> io::Result<Self> {
        let Peer::Tcp(addr) = peer else {
            return Err(wrong_peer(peer));
        };
        let fresh = match timeout {
            Some(limit) if !limit.is_zero() => TcpStream::connect_timeout(addr, limit)?,
            Some(_) => return Err(io::ErrorKind::TimedOut.into()),
            None => TcpStream::connect(addr)?,
        };
        fresh.set_nodelay(dead.nodelay()?)?;
        fresh.set_ttl(dead.ttl()?)?;
        fresh.set_read_timeout(dead.read_timeout()?)?;
        fresh.set_write_timeout(dead.write_timeout()?)?;
        fresh.set_nonblocking(is_nonblocking(dead.as_fd())?)?;
        Ok(fresh)
    }
}
