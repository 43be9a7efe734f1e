//! `fork` while other threads use HA descriptors.
//!
//! The child of a `fork` has only the thread that called it. A group lock
//! that another thread held at that moment would stay locked in the child for
//! good, and a recovery another thread was running would never end there, so
//! the child's first call on an HA descriptor would wait forever. The
//! `pthread_atfork` handlers prevent both: before the fork, the forking thread
//! takes every group's lock and its append slot's (they are only ever held
//! briefly, never across a recovery function), so no other thread holds one;
//! after it, the parent releases them, and the child also ends the recoveries
//! whose thread it does not have (counted as given up,
//! `RecoveryError::Cancelled`) and frees the append slots they held, so that
//! its own next failure recovers and its own appends run.

use std::cell::RefCell;
use std::sync::{Arc, LazyLock, Once, Weak};
use std::time::Instant;

use ha_cover_engine::Held;
use parking_lot::{ArcMutexGuard, Mutex, RawMutex};

use crate::group::{Ext, Group};
use crate::recursion;

type Registry = Arc<Mutex<Vec<Weak<Group>>>>;

/// Every group made so far (dead ones are dropped as new ones come).
static GROUPS: LazyLock<Registry> = LazyLock::new(Registry::default);

/// What the forking thread holds between `prepare` and `parent`/`child`.
struct Holding {
    _registry: ArcMutexGuard<RawMutex, Vec<Weak<Group>>>,
    groups: Vec<(Arc<Group>, SlotLock, Held<Ext>)>,
}

/// A group's append slot, locked (`append_slot.rs`).
type SlotLock = ArcMutexGuard<RawMutex, bool>;

thread_local! {
    // The handlers of one fork run on the thread that forks.
    static HOLDING: RefCell<Option<Holding>> = const { RefCell::new(None) };
}

/// Counts `group` among those the fork handlers take care of.
pub(crate) fn register(group: &Arc<Group>) {
    static HANDLERS: Once = Once::new();
    HANDLERS.call_once(|| {
        // SAFETY: the handlers are plain functions that only take and release
        // this library's own locks on the forking thread.
        unsafe { libc::pthread_atfork(Some(prepare), Some(parent), Some(child)) };
    });
    let mut groups = GROUPS.lock();
    groups.retain(|group| group.strong_count() > 0);
    groups.push(Arc::downgrade(group));
}

extern "C" fn prepare() {
    let registry = GROUPS.lock_arc();
    let groups = registry
        .iter()
        .filter_map(Weak::upgrade)
        .map(|group| {
            // The append slot's lock before the group's, as every thread
            // that takes both does.
            let slot = group.append_slot.hold();
            let held = group.shared.hold();
            (group, slot, held)
        })
        .collect();
    HOLDING.with(|holding| {
        *holding.borrow_mut() = Some(Holding {
            _registry: registry,
            groups,
        })
    });
}

extern "C" fn parent() {
    drop(HOLDING.with(|holding| holding.borrow_mut().take()));
}

extern "C" fn child() {
    let Some(holding) = HOLDING.with(|holding| holding.borrow_mut().take()) else {
        return;
    };
    let now = Instant::now();
    let mut groups = Vec::with_capacity(holding.groups.len());
    for (group, mut slot, mut held) in holding.groups {
        // A recovery function that forked keeps recovering in the child.
        if !recursion::recovering(&group) {
            held.group.forget_flight(now);
        }
        // An append under way on another thread never ends in the child.
        *slot = false;
        drop(slot);
        drop(held);
        groups.push(group);
    }
    for group in groups {
        group.shared.publish_held();
    }
}
