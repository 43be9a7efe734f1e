//! Calls on a descriptor that programs make between reads: `fstat`,
//! `fstat64`, `fstatfs`, `fcntl` (advisory locks recorded to be taken again after a
//! recovery; dups join the group), `ftruncate`, `posix_fadvise`, `dup` and
//! `close_range`/`closefrom` (which detach what they close).
//!
//! On an HA descriptor (the preload mode's, or one `ha_attach`ed) each is
//! covered like a read: a failure that means the server died recovers, and the
//! call is made again. On any other descriptor they cost the table's two loads.

use std::sync::Arc;

use ha_cover_engine::OpKind;
use libc::{c_int, c_uint, c_ulong, off_t};

use super::registry;
use super::{device, locks, next};
use crate::cover_loop::perform;
use crate::group::Member;
use crate::ops::Op;
use crate::{errno, ha_path, syscall, table};

/// A call that reads or sets something of the descriptor and is the same
/// call again on the recovered one.
pub(crate) struct Call<F>(pub F);

impl<F: FnMut(c_int) -> Result<i64, c_int>> Op for Call<F> {
    const KIND: OpKind = OpKind::Sync;

    fn run(&mut self, fd: c_int, _socket: bool) -> Result<i64, c_int> {
        (self.0)(fd)
    }
}

/// Covers `call`, a C call that returns -1 with `errno` on failure.
pub(crate) fn covered_int(fd: c_int, mut call: impl FnMut(c_int) -> c_int) -> c_int {
    let result = perform(
        fd,
        Call(|fd| {
            let ret = call(fd);
            if ret < 0 {
                Err(errno::get())
            } else {
                Ok(ret.into())
            }
        }),
    );
    errno::ret(result.map(|n| n as c_int))
}

macro_rules! fd_fn {
    ($($(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),*) => $next:ident;)*) => {$(
        $(#[$doc])*
        ///
        /// # Safety
        /// As for the C function.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(fd: c_int, $($arg: $ty),*) -> c_int {
            if table::is_covered(fd) {
                // SAFETY: the caller's arguments, passed on.
                return covered_int(fd, |fd| unsafe { next::$next(fd, $($arg),*) });
            }
            // SAFETY: the caller's arguments, passed on.
            unsafe { next::$next(fd, $($arg),*) }
        }
    )*};
}

/// `fstat(2)`, covered on HA descriptors (see [`device`] for `st_dev`).
///
/// # Safety
/// As for the C function.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fstat(fd: c_int, buf: *mut libc::stat) -> c_int {
    if table::is_covered(fd) {
        // SAFETY: the caller's arguments, passed on.
        let ret = covered_int(fd, |fd| unsafe { next::fstat(fd, buf) });
        // SAFETY: filled by the kernel when `ret` is 0.
        if ret == 0 {
            unsafe { device::fix_stat_of(fd, buf) };
        }
        return ret;
    }
    // SAFETY: the caller's arguments, passed on.
    unsafe { next::fstat(fd, buf) }
}

/// `fstat64(2)`, covered on HA descriptors (see [`device`] for `st_dev`).
///
/// # Safety
/// As for the C function.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fstat64(fd: c_int, buf: *mut libc::stat) -> c_int {
    if table::is_covered(fd) {
        // SAFETY: the caller's arguments, passed on.
        let ret = covered_int(fd, |fd| unsafe { next::fstat64(fd, buf) });
        // SAFETY: filled by the kernel when `ret` is 0.
        if ret == 0 {
            unsafe { device::fix_stat_of(fd, buf) };
        }
        return ret;
    }
    // SAFETY: the caller's arguments, passed on.
    unsafe { next::fstat64(fd, buf) }
}

fd_fn! {
    /// `fstatfs(2)`, covered on HA descriptors.
    fn fstatfs(buf: *mut libc::statfs) => fstatfs;
    /// `fstatfs64(2)`, covered on HA descriptors.
    fn fstatfs64(buf: *mut libc::statfs) => fstatfs64;
    /// `ftruncate(2)`, covered on HA descriptors (truncating again to the same
    /// length is the same truncation).
    fn ftruncate(len: off_t) => ftruncate;
    /// `ftruncate64(2)`, covered on HA descriptors.
    fn ftruncate64(len: off_t) => ftruncate64;
}

/// `posix_fadvise`, covered on HA descriptors. Returns the error number.
///
/// # Safety
/// As for the C function.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn posix_fadvise(
    fd: c_int,
    offset: off_t,
    len: off_t,
    advice: c_int,
) -> c_int {
    // SAFETY: the caller's arguments, passed on.
    let call = |fd| unsafe { next::posix_fadvise(fd, offset, len, advice) };
    if table::is_covered(fd) {
        return fadvise(fd, call);
    }
    call(fd)
}

/// `posix_fadvise64`, covered on HA descriptors. Returns the error number.
///
/// # Safety
/// As for the C function.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn posix_fadvise64(
    fd: c_int,
    offset: off_t,
    len: off_t,
    advice: c_int,
) -> c_int {
    // SAFETY: the caller's arguments, passed on.
    let call = |fd| unsafe { next::posix_fadvise64(fd, offset, len, advice) };
    if table::is_covered(fd) {
        return fadvise(fd, call);
    }
    call(fd)
}

fn fadvise(fd: c_int, mut call: impl FnMut(c_int) -> c_int) -> c_int {
    let result = perform(
        fd,
        Call(|fd| match call(fd) {
            0 => Ok(0),
            error => Err(error),
        }),
    );
    result.err().unwrap_or(0)
}

/// `fcntl(2)`, covered on HA descriptors: advisory locks are recorded, dups
/// join the group. The argument, variadic in C, is read as a fixed one.
///
/// # Safety
/// As for `fcntl(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn fcntl(fd: c_int, cmd: c_int, arg: c_ulong) -> c_int {
    // SAFETY: the caller's arguments, passed on.
    let call = |fd| unsafe { next::fcntl(fd, cmd, arg) };
    if table::is_covered(fd) {
        return covered_fcntl(fd, cmd, arg, call);
    }
    call(fd)
}

/// `fcntl64`, what `fcntl` is with 64-bit offsets: the same on 64-bit Linux.
///
/// # Safety
/// As for `fcntl(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn fcntl64(fd: c_int, cmd: c_int, arg: c_ulong) -> c_int {
    // SAFETY: the caller's arguments, passed on.
    let call = |fd| unsafe { next::fcntl64(fd, cmd, arg) };
    if table::is_covered(fd) {
        return covered_fcntl(fd, cmd, arg, call);
    }
    call(fd)
}

fn covered_fcntl(
    fd: c_int,
    cmd: c_int,
    arg: c_ulong,
    mut call: impl FnMut(c_int) -> c_int,
) -> c_int {
    match cmd {
        libc::F_DUPFD | libc::F_DUPFD_CLOEXEC => dup_with(fd, None, || call(fd)),
        libc::F_SETLK | libc::F_SETLKW | libc::F_OFD_SETLK | libc::F_OFD_SETLKW => {
            let ret = covered_int(fd, &mut call);
            if ret == 0 && arg != 0 {
                // SAFETY: the kernel just read a struct flock there.
                let request = unsafe { *(arg as *const libc::flock) };
                let ofd = matches!(cmd, libc::F_OFD_SETLK | libc::F_OFD_SETLKW);
                record_lock(fd, ofd, &request);
            }
            ret
        }
        _ => covered_int(fd, call),
    }
}

fn record_lock(fd: c_int, ofd: bool, request: &libc::flock) {
    let Some(entry) = registry::entry_of(fd) else {
        return;
    };
    let position = match c_int::from(request.l_whence) {
        libc::SEEK_CUR => syscall::lseek(fd, 0, libc::SEEK_CUR).unwrap_or(0),
        _ => 0,
    };
    let size = match c_int::from(request.l_whence) {
        libc::SEEK_END => syscall::fstat(fd).map_or(0, |st| st.st_size),
        _ => 0,
    };
    if let Some((start, end)) = locks::absolute(request, position, size) {
        if ofd {
            let mut locks = entry.locks.lock().unwrap_or_else(|e| e.into_inner());
            locks.apply(true, start, end, request.l_type);
        } else {
            locks::process_applied(&entry.path, start, end, request.l_type);
        }
    }
}

/// `dup(2)`: on a descriptor the preload mode covers, the copy is covered
/// too, in the same group (one recovery serves both).
///
/// # Safety
/// As for `dup(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dup(fd: c_int) -> c_int {
    // SAFETY: the caller's argument, passed on.
    let call = || unsafe { next::dup(fd) };
    if table::is_covered(fd) {
        return dup_with(fd, None, call);
    }
    call()
}

/// Runs `call`, which makes a new descriptor of `old`'s open file (at
/// `target` if it says), and puts the new one in `old`'s group when the
/// preload mode covers `old`. What `target` was is forgotten first.
pub(crate) fn dup_with(old: c_int, target: Option<c_int>, call: impl FnOnce() -> c_int) -> c_int {
    let Some(member) = table::get(old).filter(|m| registry::key_of(&m.group).is_some()) else {
        return call();
    };
    if let Some(target) = target.filter(|&t| t != old && table::is_covered(t)) {
        ha_path::forget(target);
    }
    let group = &member.group;
    // Under the group's lock, so that a recovery re-pointing the group
    // either includes the new descriptor or ran before it was made.
    let mut state = group.shared.lock();
    let new = call();
    if new < 0 || new == old {
        return new;
    }
    drop(table::remove(new));
    let joined = Arc::new(Member {
        fd: new,
        group: Arc::clone(group),
    });
    if table::insert(new, joined).is_ok() {
        state.ext.members.push(new);
    }
    new
}

/// `close_range(2)`: the HA descriptors it closes are detached first.
///
/// # Safety
/// As for `close_range(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn close_range(first: c_uint, last: c_uint, flags: c_int) -> c_int {
    if flags & libc::CLOSE_RANGE_CLOEXEC as c_int == 0 {
        forget_range(first, last);
    }
    // SAFETY: the caller's arguments, passed on.
    unsafe { next::close_range(first, last, flags) }
}

/// `closefrom(3)`: the HA descriptors it closes are detached first.
///
/// # Safety
/// As for `closefrom(3)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn closefrom(first: c_int) {
    forget_range(first.max(0) as c_uint, c_uint::MAX);
    // SAFETY: the caller's argument, passed on.
    unsafe { next::closefrom(first) }
}

fn forget_range(first: c_uint, last: c_uint) {
    for fd in table::covered_in(first, last) {
        ha_path::forget(fd);
    }
}
