//! The advisory locks (`fcntl` `F_SETLK`, `F_SETLKW`, `F_OFD_SETLK`,
//! `F_OFD_SETLKW`) a process holds on covered files, kept up to date as it
//! takes and releases them, so that a recovery can take them again on the new
//! file: the dead file's locks died with it (the kernel keeps them per inode,
//! and the remounted file is a new one).
//!
//! Open-file-description locks belong to one open file (a registry entry).
//! POSIX locks belong to the process and the file, whatever descriptor took
//! them, and any `close` of a descriptor of the file releases them all: they
//! are kept per path, taken again by whichever descriptor of the file recovers
//! (a recovery closes a descriptor of the new file too), and forgotten when the
//! program closes one.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use libc::c_int;

static PROCESS: Mutex<Option<HashMap<Vec<u8>, Locks>>> = Mutex::new(None);

/// The POSIX locks the process holds on the covered file at `path`.
pub(crate) fn of_process() -> MutexGuard<'static, Option<HashMap<Vec<u8>, Locks>>> {
    PROCESS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Records a POSIX lock request on `path` that succeeded.
pub(crate) fn process_applied(path: &[u8], start: u64, end: u64, kind: i16) {
    let mut all = of_process();
    let locks = all
        .get_or_insert_with(HashMap::new)
        .entry(path.to_vec())
        .or_default();
    locks.apply(false, start, end, kind);
    if locks.held().next().is_none() {
        all.as_mut().map(|all| all.remove(path));
    }
}

/// The process's POSIX locks on `path`, released by a `close` of one of its
/// descriptors.
pub(crate) fn process_released(path: &[u8]) {
    if let Some(all) = of_process().as_mut() {
        all.remove(path);
    }
}

/// The process's POSIX locks on `path`.
pub(crate) fn process_held(path: &[u8]) -> Vec<Range> {
    of_process()
        .as_ref()
        .and_then(|all| all.get(path))
        .map(|locks| locks.held().map(|(_, r)| r).collect())
        .unwrap_or_default()
}

/// One locked byte range: `start..end` (`end` is `u64::MAX` for "to the end
/// of the file, however far it grows"), `F_RDLCK` or `F_WRLCK`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Range {
    pub start: u64,
    pub end: u64,
    pub kind: i16,
}

impl Range {
    /// The `struct flock` that takes this range again.
    pub fn flock(&self) -> libc::flock {
        // SAFETY: an all-zero flock is a valid value to fill in.
        let mut lock: libc::flock = unsafe { std::mem::zeroed() };
        lock.l_type = self.kind;
        lock.l_whence = libc::SEEK_SET as i16;
        lock.l_start = self.start as i64;
        lock.l_len = if self.end == u64::MAX {
            0
        } else {
            (self.end - self.start) as i64
        };
        lock
    }
}

/// Process-associated (POSIX) and open-file-description locks, apart: they
/// do not interact with each other's ranges.
#[derive(Debug, Default)]
pub(crate) struct Locks {
    posix: Vec<Range>,
    ofd: Vec<Range>,
}

impl Locks {
    /// Records a lock request that succeeded: `kind` `F_UNLCK` releases.
    pub fn apply(&mut self, ofd: bool, start: u64, end: u64, kind: i16) {
        let ranges = if ofd { &mut self.ofd } else { &mut self.posix };
        set(ranges, start, end, kind);
    }

    /// Every range held, and whether it is an OFD lock.
    pub fn held(&self) -> impl Iterator<Item = (bool, Range)> + '_ {
        let posix = self.posix.iter().map(|r| (false, *r));
        posix.chain(self.ofd.iter().map(|r| (true, *r)))
    }
}

fn set(ranges: &mut Vec<Range>, start: u64, end: u64, kind: i16) {
    let mut out = Vec::with_capacity(ranges.len() + 2);
    for r in ranges.iter() {
        if r.end <= start || r.start >= end {
            out.push(*r);
            continue;
        }
        if r.start < start {
            out.push(Range { end: start, ..*r });
        }
        if r.end > end {
            out.push(Range { start: end, ..*r });
        }
    }
    if kind != libc::F_UNLCK as i16 {
        out.push(Range { start, end, kind });
    }
    out.sort_by_key(|r| r.start);
    // Neighbours of one kind are one range, as the kernel keeps them.
    let mut merged: Vec<Range> = Vec::with_capacity(out.len());
    for r in out {
        match merged.last_mut() {
            Some(last) if last.end == r.start && last.kind == r.kind => last.end = r.end,
            _ => merged.push(r),
        }
    }
    *ranges = merged;
}

/// The absolute range a `struct flock` names, given the file's position and
/// size (for `SEEK_CUR` and `SEEK_END`); `None` for a range the kernel would
/// have refused.
pub(crate) fn absolute(lock: &libc::flock, position: i64, size: i64) -> Option<(u64, u64)> {
    let base = match c_int::from(lock.l_whence) {
        libc::SEEK_SET => 0,
        libc::SEEK_CUR => position,
        libc::SEEK_END => size,
        _ => return None,
    };
    let start = base.checked_add(lock.l_start)?;
    let (start, end) = match lock.l_len {
        0 => (start, u64::MAX),
        len if len > 0 => (start, u64::try_from(start.checked_add(len)?).ok()?),
        len => (start.checked_add(len)?, u64::try_from(start).ok()?),
    };
    Some((u64::try_from(start).ok()?, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: i16 = libc::F_RDLCK as i16;
    const W: i16 = libc::F_WRLCK as i16;
    const U: i16 = libc::F_UNLCK as i16;

    fn ranges(locks: &Locks) -> Vec<(u64, u64, i16)> {
        locks
            .held()
            .map(|(_, r)| (r.start, r.end, r.kind))
            .collect()
    }

    #[test]
    fn taking_and_releasing_keeps_what_the_kernel_keeps() {
        let mut locks = Locks::default();
        locks.apply(false, 0, 100, R);
        locks.apply(false, 40, 60, W);
        assert_eq!(ranges(&locks), [(0, 40, R), (40, 60, W), (60, 100, R)]);
        locks.apply(false, 50, 200, U);
        assert_eq!(ranges(&locks), [(0, 40, R), (40, 50, W)]);
        locks.apply(false, 40, 50, R);
        assert_eq!(ranges(&locks), [(0, 50, R)]);
        locks.apply(false, 0, u64::MAX, U);
        assert_eq!(ranges(&locks), []);
        // sqlite's pattern: a pending byte, a shared range, released.
        locks.apply(false, 1 << 30, (1 << 30) + 1, R);
        locks.apply(false, (1 << 30) + 2, (1 << 30) + 512, R);
        locks.apply(false, 1 << 30, (1 << 30) + 1, U);
        assert_eq!(ranges(&locks), [((1 << 30) + 2, (1 << 30) + 512, R)]);
        locks.apply(true, 0, 10, W);
        assert_eq!(locks.held().filter(|(ofd, _)| *ofd).count(), 1);
    }

    #[test]
    fn ranges_from_flock() {
        // SAFETY: all-zero is a valid flock.
        let mut lock: libc::flock = unsafe { std::mem::zeroed() };
        lock.l_whence = libc::SEEK_CUR as i16;
        lock.l_start = 10;
        lock.l_len = 5;
        assert_eq!(absolute(&lock, 100, 0), Some((110, 115)));
        lock.l_whence = libc::SEEK_END as i16;
        lock.l_start = 0;
        lock.l_len = 0;
        assert_eq!(absolute(&lock, 0, 4096), Some((4096, u64::MAX)));
        lock.l_whence = libc::SEEK_SET as i16;
        lock.l_start = 10;
        lock.l_len = -4;
        assert_eq!(absolute(&lock, 0, 0), Some((6, 10)));
        lock.l_len = -11;
        assert_eq!(absolute(&lock, 0, 0), None);
        let range = Range {
            start: 6,
            end: u64::MAX,
            kind: W,
        };
        assert_eq!((range.flock().l_start, range.flock().l_len), (6, 0));
    }
}
