//! The Linux analogue of QNX's `<ha/neutrino.h>` channel functions, for Unix
//! and TCP stream sockets:
//!
//! | QNX                    | here              |
//! |------------------------|-------------------|
//! | `ha_ConnectAttach`     | `ha_connect`      |
//! | `ha_ConnectAttach_r`   | `ha_connect_r`    |
//! | `ha_ReConnectAttach`   | `ha_reconnect`    |
//! | `ha_ConnectDetach`     | `ha_disconnect`   |
//! | `ha_ConnectDetach_r`   | `ha_disconnect_r` |

use std::mem::ManuallyDrop;
use std::net::TcpStream;
use std::os::fd::{FromRawFd, IntoRawFd, OwnedFd};
use std::os::unix::net::UnixStream;

use ha_cover_rt::{Peer, SocketConnection};
use libc::{c_int, c_uint, c_void, sockaddr, socklen_t};

use super::fcntl::adopt_new;
use crate::types::RFp;
use crate::{attach, errno, repoint, syscall, table};

/// Connects a stream socket to `addr` (a `sockaddr_un`, `sockaddr_in` or
/// `sockaddr_in6`) and makes it HA-aware, as `socket`, `connect` and
/// `ha_attach`. `flags` may choose a write policy (`HA_WRITE_ALWAYS`,
/// `HA_WRITE_REPLAY`); by default a write whose delivery is unknown is not sent
/// twice.
///
/// # Safety
/// `addr` points to `addrlen` readable bytes; as for `ha_attach` about `rfn`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ha_connect(
    addr: *const sockaddr,
    addrlen: socklen_t,
    rfn: RFp,
    rhdl: *mut c_void,
    flags: c_uint,
) -> c_int {
    // SAFETY: the caller's arguments.
    errno::ret(unsafe { connect(addr, addrlen, rfn, rhdl, flags) })
}

/// [`ha_connect`] returning `-errno` on failure instead of setting `errno`.
///
/// # Safety
/// As for [`ha_connect`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ha_connect_r(
    addr: *const sockaddr,
    addrlen: socklen_t,
    rfn: RFp,
    rhdl: *mut c_void,
    flags: c_uint,
) -> c_int {
    // SAFETY: the caller's arguments.
    unsafe { connect(addr, addrlen, rfn, rhdl, flags) }.unwrap_or_else(|errno| -errno)
}

/// For a recovery function: connects a new socket to the address `oldfd` was
/// connected to, carrying its options over (timeouts, non-blocking mode,
/// `TCP_NODELAY`), and puts it under `oldfd`'s number and every `ha_dup` of
/// it. Returns `oldfd`. `EBADF` if `oldfd` is not HA-aware, `EDESTADDRREQ`
/// when its peer address is unknown; otherwise `connect`'s errors
/// (`ECONNREFUSED` until the server is back).
#[unsafe(no_mangle)]
pub extern "C" fn ha_reconnect(oldfd: c_int) -> c_int {
    errno::ret(reconnect(oldfd).map(|()| oldfd))
}

/// Detaches and closes an HA socket (`ha_close`).
#[unsafe(no_mangle)]
pub extern "C" fn ha_disconnect(fd: c_int) -> c_int {
    super::unistd::ha_close(fd)
}

/// [`ha_disconnect`] returning `-errno` on failure instead of setting `errno`.
#[unsafe(no_mangle)]
pub extern "C" fn ha_disconnect_r(fd: c_int) -> c_int {
    attach::detach(fd)
        .and_then(|()| syscall::close(fd))
        .map_or_else(|errno| -errno, |_| 0)
}

/// # Safety
/// As for [`ha_connect`].
unsafe fn connect(
    addr: *const sockaddr,
    addrlen: socklen_t,
    rfn: RFp,
    rhdl: *mut c_void,
    flags: c_uint,
) -> Result<c_int, c_int> {
    if addr.is_null() || (addrlen as usize) < size_of::<libc::sa_family_t>() {
        return Err(libc::EINVAL);
    }
    // SAFETY: at least the family is readable (checked above).
    let family = c_int::from(unsafe { (*addr).sa_family });
    // SAFETY: plain socket creation; `socket` is not interposed.
    let fd = unsafe { libc::socket(family, libc::SOCK_STREAM, 0) };
    if fd < 0 {
        return Err(errno::get());
    }
    // SAFETY: `addr` is readable for `addrlen` bytes (the caller's contract).
    if unsafe { libc::connect(fd, addr, addrlen) } < 0 {
        let e = errno::get();
        let _ = syscall::close(fd);
        return Err(e);
    }
    adopt_new(fd, rfn, rhdl, flags, None)
}

fn reconnect(oldfd: c_int) -> Result<(), c_int> {
    let member = table::get(oldfd).ok_or(libc::EBADF)?;
    let peer = member.group.origin.peer().ok_or(libc::EDESTADDRREQ)?;
    let errno_of = |e: std::io::Error| e.raw_os_error().unwrap_or(libc::EIO);
    // The dead socket is only looked at, for the options to carry over.
    let fresh: OwnedFd = match peer {
        Peer::Unix(_) => {
            // SAFETY: a view of the caller's descriptor, never closed by it.
            let dead = ManuallyDrop::new(unsafe { UnixStream::from_raw_fd(oldfd) });
            UnixStream::reconnect(&dead, peer, None)
                .map_err(errno_of)?
                .into()
        }
        Peer::Tcp(_) => {
            // SAFETY: as above.
            let dead = ManuallyDrop::new(unsafe { TcpStream::from_raw_fd(oldfd) });
            TcpStream::reconnect(&dead, peer, None)
                .map_err(errno_of)?
                .into()
        }
        // A kind of socket the C library does not make.
        _ => return Err(libc::EAFNOSUPPORT),
    };
    let fresh = fresh.into_raw_fd();
    let result = repoint::repoint(oldfd, fresh);
    // Raw: libc's `close` is this library's own.
    let _ = syscall::close(fresh);
    result
}
