//! Making a descriptor HA-aware and ordinary again, and adding `ha_dup`s to
//! its group.

use std::mem::ManuallyDrop;
use std::net::TcpStream;
use std::os::fd::FromRawFd;
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::sync::Arc;

use ha_cover_engine::{Kind, WritePolicy};
use ha_cover_rt::{Origin, Peer, SocketConnection};
use libc::{c_int, c_uint};

use crate::group::{Group, Member, RecoveryFn};
use crate::types::{HA_WRITE_ALWAYS, HA_WRITE_REPLAY, HAREPLACERECOVERYFN};
use crate::{syscall, table};

/// Makes `fd` HA-aware (QNX's `ha_attach`). `EEXIST` when it already is,
/// unless `flags` has `HAREPLACERECOVERYFN`, which replaces the recovery
/// function of its whole group instead. `path` is where the file was opened,
/// when the caller knows it.
pub(crate) fn attach(
    fd: c_int,
    recovery: RecoveryFn,
    flags: c_uint,
    path: Option<PathBuf>,
) -> Result<(), c_int> {
    if let Some(member) = table::get(fd) {
        if flags & HAREPLACERECOVERYFN == 0 {
            return Err(libc::EEXIST);
        }
        member.group.shared.lock().ext.recovery = recovery;
        return Ok(());
    }
    let status = status_flags(fd)?;
    let kind = kind_of(fd)?;
    let origin = match kind {
        Kind::File => file_origin(fd, status, path),
        Kind::Socket => peer_of(fd).map_or(Origin::Unknown, Origin::Socket),
        _ => Origin::Unknown,
    };
    let write_policy = if flags & HA_WRITE_REPLAY != 0 {
        WritePolicy::Replay
    } else if flags & HA_WRITE_ALWAYS != 0 {
        WritePolicy::Always
    } else {
        WritePolicy::Never
    };
    let append = kind == Kind::File && status & libc::O_APPEND != 0;
    let group = Arc::new(Group::new(kind, origin, append, write_policy, recovery));
    crate::fork::register(&group);
    let mut state = group.shared.lock();
    if append && !at_append_baseline(fd, status) {
        state.group.note_seek();
    }
    table::insert(
        fd,
        Arc::new(Member {
            fd,
            group: Arc::clone(&group),
        }),
    )?;
    state.ext.members.push(fd);
    Ok(())
}

/// Makes `fd` an ordinary descriptor again (QNX's `ha_detach`); `EBADF` when
/// it is not HA-aware. The descriptor stays open.
pub(crate) fn detach(fd: c_int) -> Result<(), c_int> {
    let member = table::remove(fd).ok_or(libc::EBADF)?;
    member.group.shared.lock().ext.members.retain(|&m| m != fd);
    Ok(())
}

/// A new descriptor on the same open file, in the same group (QNX's `ha_dup`).
pub(crate) fn dup(fd: c_int) -> Result<c_int, c_int> {
    let member = table::get(fd).ok_or(libc::EBADF)?;
    let group = &member.group;
    // Under the group's lock, so a recovery re-pointing the group either
    // includes the new descriptor or ran before it was made.
    let mut state = group.shared.lock();
    let new = syscall::dup(fd, false)?;
    // The kernel just handed out this number: whatever the table says about
    // it describes a descriptor closed behind the library's back.
    drop(table::remove(new));
    let inserted = table::insert(
        new,
        Arc::new(Member {
            fd: new,
            group: Arc::clone(group),
        }),
    );
    if let Err(errno) = inserted {
        let _ = syscall::close(new);
        return Err(errno);
    }
    state.ext.members.push(new);
    Ok(new)
}

/// Puts a file opened `O_APPEND` where its position says where the last
/// append ended, the baseline a recovery reads a failed append's fate from
/// (the file's growth past it), and says whether it is there: a file opened
/// to append alone goes to its end (its writes go there anyway, as glibc's
/// `fopen` in mode "a" puts it); one read too keeps its position, and while
/// that is off the end a failed append is indeterminate. Left at 0 on a
/// file of some bytes, the first append that a death stopped before it
/// landed was credited with the whole file, and its head was never written.
fn at_append_baseline(fd: c_int, status: c_int) -> bool {
    if status & libc::O_ACCMODE == libc::O_WRONLY {
        return syscall::lseek(fd, 0, libc::SEEK_END).is_ok();
    }
    match (syscall::lseek(fd, 0, libc::SEEK_CUR), syscall::fstat(fd)) {
        (Ok(position), Ok(stat)) => position == stat.st_size,
        _ => false,
    }
}

fn status_flags(fd: c_int) -> Result<c_int, c_int> {
    // SAFETY: F_GETFL only reads the descriptor's flags.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 {
        Err(crate::errno::get())
    } else {
        Ok(flags)
    }
}

fn kind_of(fd: c_int) -> Result<Kind, c_int> {
    // SAFETY: an all-zero stat is a valid buffer for fstat to fill.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `st` is writable for the call.
    if unsafe { libc::fstat(fd, &mut st) } < 0 {
        let errno = crate::errno::get();
        // A descriptor on a dead FUSE mount cannot be stat'ed; it is a file.
        return if errno == libc::EBADF {
            Err(errno)
        } else {
            Ok(Kind::File)
        };
    }
    Ok(if st.st_mode & libc::S_IFMT == libc::S_IFSOCK {
        Kind::Socket
    } else {
        Kind::File
    })
}

fn file_origin(fd: c_int, status: c_int, path: Option<PathBuf>) -> Origin {
    let path = path
        .and_then(|p| std::path::absolute(p).ok())
        .or_else(|| std::fs::read_link(format!("/proc/self/fd/{fd}")).ok());
    match path {
        Some(path) => Origin::File {
            path,
            flags: status,
        },
        None => Origin::Unknown,
    }
}

/// The address a connected stream socket leads to, where `ha_reconnect`
/// connects again.
fn peer_of(fd: c_int) -> Option<Peer> {
    let mut domain: c_int = 0;
    let mut len = size_of::<c_int>() as libc::socklen_t;
    // SAFETY: SO_DOMAIN writes one int into `domain`, whose size `len` gives.
    let ret = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_DOMAIN,
            (&raw mut domain).cast(),
            &mut len,
        )
    };
    if ret < 0 {
        return None;
    }
    match domain {
        libc::AF_UNIX => {
            // SAFETY: a view of the caller's descriptor, never closed by it.
            let view = ManuallyDrop::new(unsafe { UnixStream::from_raw_fd(fd) });
            view.peer().ok()
        }
        libc::AF_INET | libc::AF_INET6 => {
            // SAFETY: as above.
            let view = ManuallyDrop::new(unsafe { TcpStream::from_raw_fd(fd) });
            view.peer().ok()
        }
        _ => None,
    }
}
