//! Which group's recovery function this thread is running, if any.
//!
//! A failure while it runs is not recovered again (QNX: no recursion from
//! inside a recovery): the recovery function gets the error. And what it sends
//! and reads on its own group's socket (a handshake replayed on the new
//! connection) is the recovery's business, not the traffic the ledger keeps
//! for retransmission.

use std::cell::Cell;

use crate::group::Group;

thread_local! {
    /// The address of the group being recovered; 0 outside recovery.
    static RECOVERING: Cell<usize> = const { Cell::new(0) };
}

fn id(group: &Group) -> usize {
    std::ptr::from_ref(group) as usize
}

/// Whether the calling thread is inside a recovery function.
pub(crate) fn inside() -> bool {
    RECOVERING.with(Cell::get) != 0
}

/// Whether the calling thread is inside `group`'s recovery function.
pub(crate) fn recovering(group: &Group) -> bool {
    RECOVERING.with(Cell::get) == id(group)
}

/// Runs `f`, `group`'s recovery function.
pub(crate) fn run<T>(group: &Group, f: impl FnOnce() -> T) -> T {
    let outer = RECOVERING.with(|r| r.replace(id(group)));
    let result = f();
    RECOVERING.with(|r| r.set(outer));
    result
}
