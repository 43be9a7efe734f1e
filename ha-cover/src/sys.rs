//! The few system calls std does not expose, each wrapped once so the rest of the
//! crate stays free of `unsafe`.

use std::io::{self, IoSlice};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, IntoRawFd, OwnedFd, RawFd};

fn check(ret: libc::c_int) -> io::Result<libc::c_int> {
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

fn check_size(ret: libc::ssize_t) -> io::Result<usize> {
    // A negative return is exactly the error case, so the conversion fails only then.
    usize::try_from(ret).map_err(|_| io::Error::last_os_error())
}

/// `send(2)` with `MSG_NOSIGNAL`: a dead peer gives `EPIPE`, never `SIGPIPE`, which
/// would kill a process that has not ignored it before the cover could recover.
pub(crate) fn send(fd: BorrowedFd<'_>, buf: &[u8]) -> io::Result<usize> {
    // SAFETY: `fd` is a live descriptor for the duration of the borrow, and the
    // pointer and length describe `buf`, which outlives the call.
    let ret = unsafe {
        libc::send(
            fd.as_raw_fd(),
            buf.as_ptr().cast(),
            buf.len(),
            libc::MSG_NOSIGNAL,
        )
    };
    check_size(ret)
}

/// `sendmsg(2)` with `MSG_NOSIGNAL`, the vectored form of [`send`].
pub(crate) fn send_vectored(fd: BorrowedFd<'_>, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
    // SAFETY: an all-zero msghdr is a valid "no name, no control data" header.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    // IoSlice is guaranteed ABI-compatible with iovec on Unix.
    msg.msg_iov = bufs.as_ptr().cast_mut().cast();
    msg.msg_iovlen = bufs.len().min(libc::c_int::MAX as usize) as _;
    // SAFETY: `msg` points at `bufs`, which outlive the call; the kernel only reads
    // through msg_iov for a send.
    let ret = unsafe { libc::sendmsg(fd.as_raw_fd(), &msg, libc::MSG_NOSIGNAL) };
    check_size(ret)
}

/// The file status flags and access mode of an open descriptor (`F_GETFL`). They
/// never include O_CREAT, O_EXCL or O_TRUNC, which is what a safe reopen needs.
pub(crate) fn status_flags(fd: BorrowedFd<'_>) -> io::Result<libc::c_int> {
    // SAFETY: F_GETFL takes no argument and only reads the descriptor's flags.
    check(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFL) })
}

/// The descriptor's current offset. The kernel answers this without asking the
/// server, so it works on a connection whose server is dead (seen with FUSE and NFS).
pub(crate) fn position(fd: BorrowedFd<'_>) -> io::Result<u64> {
    // SAFETY: lseek with SEEK_CUR and offset 0 only reads the offset.
    let ret = unsafe { libc::lseek(fd.as_raw_fd(), 0, libc::SEEK_CUR) };
    u64::try_from(ret).map_err(|_| io::Error::last_os_error())
}

/// Places a connection to a file opened `O_APPEND` and returns its position
/// and the file's end: at the end (every append lands there anyway, and a
/// failed one's fate is then told by the file's growth), unless the file is
/// read too (`O_RDWR`), whose reads go on from where the position is, as
/// std's do.
pub(crate) fn place_append(fd: BorrowedFd<'_>) -> io::Result<(u64, u64)> {
    if status_flags(fd)? & libc::O_ACCMODE == libc::O_WRONLY {
        let end = seek_to_end(fd)?;
        return Ok((end, end));
    }
    let (_, end) = inode_and_size(fd)?;
    Ok((position(fd)?, end))
}

/// Moves the descriptor's offset to the end of the file and returns it.
pub(crate) fn seek_to_end(fd: BorrowedFd<'_>) -> io::Result<u64> {
    // SAFETY: lseek only changes the descriptor's offset.
    let ret = unsafe { libc::lseek(fd.as_raw_fd(), 0, libc::SEEK_END) };
    u64::try_from(ret).map_err(|_| io::Error::last_os_error())
}

/// The inode number and size of an open file.
pub(crate) fn inode_and_size(fd: BorrowedFd<'_>) -> io::Result<(u64, u64)> {
    // SAFETY: an all-zero stat is a valid buffer for fstat to fill.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `st` is a valid, writable stat buffer for the duration of the call.
    check(unsafe { libc::fstat(fd.as_raw_fd(), &mut st) })?;
    Ok((st.st_ino, u64::try_from(st.st_size).unwrap_or(0)))
}

/// Sets the descriptor's offset.
pub(crate) fn set_position(fd: BorrowedFd<'_>, position: u64) -> io::Result<()> {
    let offset = libc::off_t::try_from(position)
        .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    // SAFETY: lseek only changes the descriptor's offset.
    let ret = unsafe { libc::lseek(fd.as_raw_fd(), offset, libc::SEEK_SET) };
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// Asks the file system behind `fd` for its statistics (`fstatfs`): a request
/// that FUSE always sends to its daemon, never answers from a cache.
pub(crate) fn probe_server(fd: BorrowedFd<'_>) -> io::Result<()> {
    // SAFETY: an all-zero statfs is a valid buffer for fstatfs to fill.
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: `st` is a valid, writable statfs buffer for the duration of the call.
    check(unsafe { libc::fstatfs(fd.as_raw_fd(), &mut st) })?;
    Ok(())
}

/// Waits until `fd` reports one of `events`, or `limit` passes; true if it did.
/// `ppoll` rather than `poll` for a timeout finer than a millisecond.
pub(crate) fn poll_one(
    fd: BorrowedFd<'_>,
    events: libc::c_short,
    limit: std::time::Duration,
) -> io::Result<bool> {
    let mut pollfd = libc::pollfd {
        fd: fd.as_raw_fd(),
        events,
        revents: 0,
    };
    let timeout = libc::timespec {
        tv_sec: libc::time_t::try_from(limit.as_secs()).unwrap_or(libc::time_t::MAX),
        tv_nsec: limit.subsec_nanos() as libc::c_long,
    };
    // SAFETY: `pollfd` and `timeout` are valid for the call; a null signal mask
    // leaves the thread's mask as it is.
    let ret = unsafe { libc::ppoll(&mut pollfd, 1, &timeout, std::ptr::null()) };
    match ret {
        -1 if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted => Ok(false),
        -1 => Err(io::Error::last_os_error()),
        0 => Ok(false),
        _ => Ok(pollfd.revents & (events | libc::POLLERR) != 0),
    }
}

/// A non-blocking, close-on-exec inotify descriptor.
pub(crate) fn inotify_init() -> io::Result<std::os::fd::OwnedFd> {
    // SAFETY: inotify_init1 takes flags only and returns a new descriptor.
    let fd = check(unsafe { libc::inotify_init1(libc::IN_NONBLOCK | libc::IN_CLOEXEC) })?;
    // SAFETY: `fd` was just returned by the kernel and is owned by no one else.
    Ok(unsafe { <std::os::fd::OwnedFd as std::os::fd::FromRawFd>::from_raw_fd(fd) })
}

/// Watches `dir` for `mask` events on an inotify descriptor.
pub(crate) fn inotify_watch(
    inotify: BorrowedFd<'_>,
    dir: &std::path::Path,
    mask: u32,
) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes())?;
    // SAFETY: `path` is a valid NUL-terminated string for the call.
    check(unsafe { libc::inotify_add_watch(inotify.as_raw_fd(), path.as_ptr(), mask) })?;
    Ok(())
}

/// A descriptor the runtime opened for itself (the watcher's mount table and
/// inotify instance), read, rewound and closed by system calls made directly
/// rather than through libc's `read`, `lseek` and `close`. In a program linked
/// with `ha-cover-c`, those symbols are that library's own definitions, which
/// look the number up among its HA descriptors first: the wait inside one of
/// its recoveries goes straight to the kernel instead, even if that table is
/// wrong about the number (an HA descriptor closed behind the library's back).
#[derive(Debug)]
#[doc(hidden)]
pub struct DirectFd(RawFd);

impl From<OwnedFd> for DirectFd {
    fn from(fd: OwnedFd) -> Self {
        Self(fd.into_raw_fd())
    }
}

impl AsRawFd for DirectFd {
    fn as_raw_fd(&self) -> RawFd {
        self.0
    }
}

impl AsFd for DirectFd {
    fn as_fd(&self) -> BorrowedFd<'_> {
        // SAFETY: the descriptor is owned by `self` and open until it drops.
        unsafe { BorrowedFd::borrow_raw(self.0) }
    }
}

impl Drop for DirectFd {
    fn drop(&mut self) {
        // SAFETY: `self` owns the descriptor, and it is closed only here. An
        // error leaves nothing to do: the number is released either way.
        unsafe { libc::syscall(libc::SYS_close, libc::c_long::from(self.0)) };
    }
}

/// `read(2)` on a borrowed descriptor, as a direct system call (see
/// [`DirectFd`]).
pub(crate) fn read(fd: BorrowedFd<'_>, buf: &mut [u8]) -> io::Result<usize> {
    // SAFETY: the pointer and length describe `buf`, writable for the call.
    // Arguments are widened to `long`, the width the variadic call passes.
    let ret = unsafe {
        libc::syscall(
            libc::SYS_read,
            libc::c_long::from(fd.as_raw_fd()),
            buf.as_mut_ptr(),
            buf.len(),
        )
    };
    usize::try_from(ret).map_err(|_| io::Error::last_os_error())
}

/// Moves the descriptor's offset back to the start, as a direct system call
/// (see [`DirectFd`]).
pub(crate) fn rewind(fd: BorrowedFd<'_>) -> io::Result<()> {
    // SAFETY: lseek only changes the descriptor's offset.
    let ret = unsafe {
        libc::syscall(
            libc::SYS_lseek,
            libc::c_long::from(fd.as_raw_fd()),
            0 as libc::c_long,
            libc::c_long::from(libc::SEEK_SET),
        )
    };
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// Whether two descriptors are the same open file description (`kcmp`
/// `KCMP_FILE`). `false` when the kernel cannot tell (no `kcmp`): a recovery
/// function that returned the dead connection is then caught by its
/// retransmission failing at once instead.
pub fn same_open_file(a: BorrowedFd<'_>, b: BorrowedFd<'_>) -> bool {
    const KCMP_FILE: libc::c_long = 0;
    // SAFETY: getpid has no preconditions.
    let pid = libc::c_long::from(unsafe { libc::getpid() });
    // SAFETY: kcmp only compares the two descriptors of this process; both are
    // open for the duration of the borrows.
    let ret = unsafe {
        libc::syscall(
            libc::SYS_kcmp,
            pid,
            pid,
            KCMP_FILE,
            libc::c_long::from(a.as_raw_fd()),
            libc::c_long::from(b.as_raw_fd()),
        )
    };
    ret == 0
}

/// The facts the engine asks about a descriptor when an error is ambiguous.
pub(crate) struct DescriptorProbe<'a>(pub Option<BorrowedFd<'a>>);

impl ha_cover_engine::Probe for DescriptorProbe<'_> {
    fn status_flags(&self) -> Option<i32> {
        status_flags(self.0?).ok()
    }

    fn ask_server(&self) -> Option<Result<(), i32>> {
        let fd = self.0?;
        Some(probe_server(fd).map_err(|e| e.raw_os_error().unwrap_or(libc::EIO)))
    }
}

/// Puts the open file description of `fresh` under the descriptor number of
/// `onto` (`dup3`, close-on-exec), as QNX's `ha_reopen` does: whoever holds
/// `onto` reaches the new description from its next call on.
pub(crate) fn repoint(fresh: BorrowedFd<'_>, onto: BorrowedFd<'_>) -> io::Result<()> {
    // SAFETY: both descriptors are open for the duration of the borrows; dup3
    // replaces what `onto` refers to atomically and leaves `onto` open, still
    // owned by its owner.
    let ret = unsafe { libc::dup3(fresh.as_raw_fd(), onto.as_raw_fd(), libc::O_CLOEXEC) };
    if ret < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}
