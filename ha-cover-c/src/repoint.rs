//! Putting a new connection under a group's descriptor numbers: what
//! `ha_reopen` and `ha_reconnect` do after opening, and what happens to a
//! descriptor a recovery function returns instead of the failed one.
//!
//! QNX keeps a connection's number across a recovery; so does this: every
//! member becomes, with `dup3`, a descriptor of the new open file, keeping its
//! own close-on-exec flag. The dead file is closed on a background thread: the
//! last descriptor on a dead FUSE mount frees the whole mount, which takes
//! longer than the operation waiting to be sent again.

use std::sync::Arc;

use libc::c_int;

use crate::group::Group;
use crate::{syscall, table};

/// Makes `fd` and every member of its group (if it has one) descriptors of
/// `fresh`'s open file. `fresh` stays open; the caller closes it.
pub(crate) fn repoint(fd: c_int, fresh: c_int) -> Result<(), c_int> {
    match table::get(fd) {
        Some(member) => repoint_group(&member.group, fresh),
        None => repoint_one(fd, fresh),
    }
}

fn repoint_group(group: &Arc<Group>, fresh: c_int) -> Result<(), c_int> {
    // Held across the re-pointing (`dup3` is quick: the dead file's last
    // close is moved off it below), so that an `ha_dup` made meanwhile is
    // either re-pointed here or made from the new file.
    let state = group.shared.lock();
    let live: Vec<c_int> = state
        .ext
        .members
        .iter()
        .copied()
        .filter(|&m| table::get(m).is_some_and(|member| Arc::ptr_eq(&member.group, group)))
        .collect();
    // All members share one dead open file: one extra reference to it is
    // enough to move its last close off this thread.
    let dead = live.first().and_then(|&m| syscall::dup(m, true).ok());
    let mut result = Ok(());
    for &member in &live {
        if member != fresh
            && let Err(errno) = repoint_one(member, fresh)
        {
            result = Err(errno);
        }
    }
    drop(state);
    if let Some(dead) = dead {
        ha_cover_rt::frontend::close_later(Dead(dead));
    }
    result
}

/// The last reference to a dead connection's open file, closed with a raw
/// system call when the background-close thread drops it (libc's `close` is this library's).
pub(crate) struct Dead(pub c_int);

impl Drop for Dead {
    fn drop(&mut self) {
        let _ = syscall::close(self.0);
    }
}

fn repoint_one(target: c_int, fresh: c_int) -> Result<(), c_int> {
    let flags = if syscall::is_cloexec(target).unwrap_or(false) {
        libc::O_CLOEXEC
    } else {
        0
    };
    syscall::dup3(fresh, target, flags).map(drop)
}
