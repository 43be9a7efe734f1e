//! What the preload mode knows about each descriptor it covers, beyond the
//! group: the absolute path and flags it was opened with (to reopen it, and
//! to resolve paths relative to a covered directory), its inode number (the
//! identity check) and the advisory locks the process holds through it.
//!
//! The group's recovery handle is the key of its entry, not a pointer to it:
//! an entry outlives no group (it is dropped once its group is, checked when
//! entries are added), and a recovery that runs after its descriptor was
//! closed finds no entry instead of freed memory.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use libc::{c_int, c_void};

use super::locks::Locks;
use super::recovery;
use crate::group::Group;
use crate::table;

/// One covered open file (its group).
#[derive(Debug)]
pub(crate) struct Entry {
    /// Absolute and normalized.
    pub path: Vec<u8>,
    /// The flags it was opened with.
    pub flags: c_int,
    /// Its inode number when opened, for the identity check.
    pub inode: Option<u64>,
    /// The advisory locks the process took through it.
    pub locks: Mutex<Locks>,
}

struct Registry {
    entries: HashMap<usize, (Weak<Group>, Arc<Entry>)>,
    /// Prune dropped groups' entries when there are this many.
    prune_at: usize,
}

static REGISTRY: Mutex<Option<Registry>> = Mutex::new(None);
static NEXT_KEY: AtomicUsize = AtomicUsize::new(1);

fn registry() -> MutexGuard<'static, Option<Registry>> {
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

/// A new key for a group's entry, to be its recovery handle.
pub(crate) fn new_key() -> usize {
    NEXT_KEY.fetch_add(1, Ordering::Relaxed)
}

/// Records `entry` for `group` under `key`.
pub(crate) fn insert(key: usize, group: &Arc<Group>, entry: Entry) {
    let mut registry = registry();
    let registry = registry.get_or_insert_with(|| Registry {
        entries: HashMap::new(),
        prune_at: 64,
    });
    if registry.entries.len() >= registry.prune_at {
        registry
            .entries
            .retain(|_, (group, _)| group.strong_count() > 0);
        registry.prune_at = (registry.entries.len() * 2).max(64);
    }
    registry
        .entries
        .insert(key, (Arc::downgrade(group), Arc::new(entry)));
}

/// The entry under `key`, while its group lives.
pub(crate) fn get(key: usize) -> Option<Arc<Entry>> {
    let registry = registry();
    let (group, entry) = registry.as_ref()?.entries.get(&key)?;
    (group.strong_count() > 0).then(|| Arc::clone(entry))
}

/// The key of `group`'s entry, if the preload mode covers it (its recovery
/// is the built-in one).
pub(crate) fn key_of(group: &Group) -> Option<usize> {
    let recovery = group.shared.lock().ext.recovery;
    (recovery.func as usize == recovery::builtin as *const () as usize)
        .then_some(recovery.handle.0 as usize)
}

/// The entry of the group `fd` belongs to, if the preload mode covers it.
pub(crate) fn entry_of(fd: c_int) -> Option<Arc<Entry>> {
    if !table::is_covered(fd) {
        return None;
    }
    let member = table::get(fd)?;
    get(key_of(&member.group)?)
}

/// The absolute path `fd` was opened with, if the preload mode covers it.
pub(crate) fn path_of(fd: c_int) -> Option<Vec<u8>> {
    entry_of(fd).map(|entry| entry.path.clone())
}

/// The descriptors of every covered group opened from `path`.
pub(crate) fn descriptors_of(path: &[u8]) -> Vec<c_int> {
    let groups: Vec<Arc<Group>> = registry()
        .as_ref()
        .map(|registry| {
            registry
                .entries
                .values()
                .filter(|(_, entry)| entry.path == path)
                .filter_map(|(group, _)| group.upgrade())
                .collect()
        })
        .unwrap_or_default();
    groups
        .iter()
        .flat_map(|group| group.shared.lock().ext.members.clone())
        .collect()
}

/// The handle the built-in recovery gets: the key itself.
pub(crate) fn handle(key: usize) -> *mut c_void {
    key as *mut c_void
}
