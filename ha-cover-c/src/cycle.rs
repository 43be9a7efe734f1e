//! Drives one recovery to its end: calls the C recovery function as the
//! engine says, and looks at the descriptor it restored. Every decision is the
//! engine's; this file only does the I/O.

use std::io;
use std::sync::Arc;
use std::time::Instant;

use ha_cover_engine::{Action, AttemptError, Cause, Kind, Recovery, Restored};
use ha_cover_rt::frontend::Watcher;
use libc::c_int;

use crate::group::Member;
use crate::types::HA_RETRY;
use crate::{recursion, repoint, syscall, table};

/// Drives `recovery`, started by `member`'s failure.
pub(crate) fn drive(member: &Member, mut recovery: Recovery, cause: &Cause) {
    let group = &*member.group;
    let shared = &group.shared;
    let fd = member.fd;
    // The kernel keeps a file's position after its server died: where the
    // operation sent again must happen. Unless a recovery that gave up had
    // already put another connection under the number: then the position the
    // dead one had is the one it read. It is kept until a recovery installs a
    // connection: one that gives up before any attempt leaves it for the next.
    let pending = shared.lock().ext.dead_position;
    let dead_position = match group.kind {
        Kind::File => pending.or_else(|| position(fd)),
        _ => None,
    };
    // What the descriptor was, to tell whether a recovery function that
    // returned it changed anything (QNX's `return fd;` after `ha_reopen`
    // does; one that only returns `fd` does not).
    let dead = syscall::dup(fd, true).ok().map(Dead);
    let _ = cause;
    let mut watcher: Option<Watcher> = None;
    loop {
        let action = recovery.next(&mut shared.lock().group, Instant::now());
        match action {
            Action::Done => return,
            Action::Watch => {
                let started = watcher.insert(Watcher::for_origin(&group.origin));
                recovery.watching(started.waiting_for(), Instant::now());
            }
            Action::Wait(delay) => {
                let woken = watcher.as_mut().is_some_and(|w| w.wait(delay));
                recovery.waited(woken, Instant::now());
            }
            Action::Attempt(_) => {
                let outcome = attempt(member);
                let outcome = outcome.and_then(|()| restored(member, dead.as_ref(), dead_position));
                let moved = dead
                    .as_ref()
                    .is_some_and(|dead| !same_open_file(fd, dead.0));
                let mut state = shared.lock();
                match outcome {
                    Ok(restored) => recovery.restored(&mut state.group, restored, Instant::now()),
                    Err(error) => {
                        if moved {
                            // Another connection is under the number (put there
                            // by `ha_reopen`, then it failed): should the
                            // recovery end without one, the next must not take
                            // its position for the dead one's.
                            state.ext.dead_position = dead_position;
                        }
                        recovery.attempt_failed(&mut state.group, error, Instant::now());
                    }
                }
            }
            Action::Replay => {
                let bytes = shared
                    .lock()
                    .group
                    .ledger()
                    .replayable()
                    .unwrap_or_default()
                    .to_vec();
                let result = send_all(fd, &bytes).map_err(io::Error::from_raw_os_error);
                recovery.replayed(&mut shared.lock().group, result, Instant::now());
            }
            // The descriptor numbers already are the new connection; it
            // follows a seek made on the dead one meanwhile (the kernel keeps
            // the position: such a seek succeeds).
            Action::Install => {
                let append = shared.lock().group.is_append();
                if group.kind == Kind::File && !append {
                    follow_seeks(fd, dead.as_ref(), dead_position);
                }
                let mut state = shared.lock();
                state.ext.dead_position = None;
                recovery.installed(&mut state.group, Instant::now());
            }
        }
    }
}

/// Calls the recovery function once.
fn attempt(member: &Member) -> Result<(), AttemptError> {
    let group = &member.group;
    let recovery = group.shared.lock().ext.recovery;
    let fd = member.fd;
    // SAFETY: the function and handle the caller attached, called the way
    // QNX's library calls them.
    let returned = recursion::run(group, || unsafe { (recovery.func)(fd, recovery.handle.0) });
    let error = io::Error::last_os_error();
    if returned == fd {
        return Ok(());
    }
    if returned == HA_RETRY {
        return Err(AttemptError::retry(error));
    }
    if returned >= 0 {
        // QNX requires the failed descriptor back; a new one (say, from a plain
        // `open`) is put in its place as `ha_reopen` would have.
        return adopt(member, returned)
            .map_err(|errno| AttemptError::retry(io::Error::from_raw_os_error(errno)));
    }
    // -1: stop recovering (QNX), with the errno the function left.
    Err(AttemptError::give_up(error))
}

fn adopt(member: &Member, fresh: c_int) -> Result<(), c_int> {
    if table::get(fresh).is_some_and(|m| Arc::ptr_eq(&m.group, &member.group)) {
        // Another member of the same group: nothing new to put in place.
        return Err(libc::EINVAL);
    }
    repoint::repoint(member.fd, fresh)?;
    let _ = syscall::close(fresh);
    Ok(())
}

/// What the restored descriptor is: the dead connection unchanged, or a new
/// one, put where it must be (a file opened to append alone at its end).
fn restored(
    member: &Member,
    dead: Option<&Dead>,
    dead_position: Option<u64>,
) -> Result<Restored, AttemptError> {
    let fd = member.fd;
    let mut restored = Restored {
        unchanged: dead.is_some_and(|dead| same_open_file(fd, dead.0)),
        dead_position,
        ..Restored::default()
    };
    if member.group.kind == Kind::File {
        let append = member.group.shared.lock().group.is_append();
        let at = |whence| {
            syscall::lseek(fd, 0, whence)
                .map(|p| p as u64)
                .map_err(|errno| AttemptError::retry(io::Error::from_raw_os_error(errno)))
        };
        let reads_too =
            syscall::status_flags(fd).is_ok_and(|flags| flags & libc::O_ACCMODE != libc::O_WRONLY);
        if append && reads_too {
            // Its reads go on from where the recovery function put it.
            restored.position = at(libc::SEEK_CUR).ok();
            let stat = syscall::fstat(fd)
                .map_err(|errno| AttemptError::retry(io::Error::from_raw_os_error(errno)))?;
            restored.end = Some(stat.st_size as u64);
        } else if append {
            restored.end = Some(at(libc::SEEK_END)?);
        } else {
            restored.position = at(libc::SEEK_CUR).ok();
        }
    }
    Ok(restored)
}

/// The descriptor's position (kernel-local: a dead file's too).
fn position(fd: c_int) -> Option<u64> {
    syscall::lseek(fd, 0, libc::SEEK_CUR).ok().map(|p| p as u64)
}

/// A seek made on the dead connection while it was recovered is followed by
/// the new one under the number.
fn follow_seeks(fd: c_int, dead: Option<&Dead>, dead_position: Option<u64>) {
    let Some(now) = dead.and_then(|dead| position(dead.0)) else {
        return;
    };
    if dead_position.is_some_and(|before| before != now) {
        // Best effort: a connection that cannot seek fails its next call, and
        // that failure recovers.
        let _ = syscall::lseek(fd, now as i64, libc::SEEK_SET);
    }
}

fn same_open_file(a: c_int, b: c_int) -> bool {
    // SAFETY: both descriptors are open for the duration of the call (the
    // caller's, and our own duplicate).
    let (a, b) = unsafe {
        (
            std::os::fd::BorrowedFd::borrow_raw(a),
            std::os::fd::BorrowedFd::borrow_raw(b),
        )
    };
    ha_cover_rt::frontend::same_open_file(a, b)
}

fn send_all(fd: c_int, mut bytes: &[u8]) -> Result<(), c_int> {
    while !bytes.is_empty() {
        match syscall::send(fd, bytes.as_ptr().cast(), bytes.len(), 0) {
            Ok(0) => return Err(libc::EPIPE),
            Ok(n) => bytes = &bytes[n as usize..],
            Err(libc::EINTR) => {}
            Err(errno) => return Err(errno),
        }
    }
    Ok(())
}

/// A duplicate of the dead connection, kept to compare with; closed on the
/// reaper thread with a raw system call (it may be the last reference to a
/// dead FUSE mount, and libc's `close` is this library's).
struct Dead(c_int);

impl Drop for Dead {
    fn drop(&mut self) {
        ha_cover_rt::frontend::close_later(repoint::Dead(self.0));
    }
}
