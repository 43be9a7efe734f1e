//! The sync cover's side of a connection group: what it keeps beside the
//! engine's state (the client's handle, the recovery function, the newest
//! connection), owned by a sole cover or shared by dups behind the engine's
//! [`Shared`].

use std::io;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use ha_cover_engine::{Group, Shared};

use crate::connection::Connection;
use crate::control::GroupCell;
use crate::handle::Recoverable;
use crate::latest::Latest;
use crate::origin::{Identity, Origin};
use crate::recovery::Recover;

/// What the sync front end keeps for a group.
pub(crate) struct Ext<C, H> {
    /// The client's handle. A dup'ed group lends it to the recovery function
    /// (it is `None` meanwhile); a sole cover's is always here.
    pub handle: Option<H>,
    /// The recovery function, lent like the handle.
    pub recovery: Option<Box<dyn Recover<C, H>>>,
    pub origin: Origin,
    pub identity: Option<Identity>,
    /// The connection the latest recovery made, until every member has moved
    /// to it.
    pub latest: Latest<C>,
    /// How replayed bytes are written: set by the first write, which is the
    /// only way bytes get into the ledger (the cover loop itself only knows
    /// `C: Connection`).
    pub replay_writer: Option<ReplayWriter<C>>,
}

/// Writes all of a buffer to a connection.
pub(crate) type ReplayWriter<C> = fn(&mut C, &[u8]) -> io::Result<()>;

/// A group with one member, owned by it: no lock, no atomic on its I/O path.
pub(crate) struct Sole<C, H> {
    pub group: Group,
    pub ext: Ext<C, H>,
}

/// A sole group behind a lock that only `&self` calls take (the controls, the
/// handle, from any thread sharing the cover); the cover's own operations
/// have `&mut self` and reach it with [`Mutex::get_mut`], which takes no lock.
/// The lock is also what makes the cover `Sync` whatever the recovery
/// function and the handle are: they are `Send`, and only one thread at a
/// time reaches them.
pub(crate) type SoleCell<C, H> = Mutex<Sole<C, H>>;

/// The sole group of a cover reached through `&mut`: no lock taken. A panic
/// never happens while it is locked (no user code runs under it), so a
/// poisoned lock is only a panic of a caller that held the handle: the state
/// is still whole.
#[inline(always)]
pub(crate) fn sole_mut<C, H>(cell: &mut SoleCell<C, H>) -> &mut Sole<C, H> {
    cell.get_mut().unwrap_or_else(PoisonError::into_inner)
}

/// The sole group of a cover reached through `&self`: locked.
pub(crate) fn sole_lock<C, H>(cell: &SoleCell<C, H>) -> MutexGuard<'_, Sole<C, H>> {
    cell.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The sole group of a cover reached through `&self`, with its handle: a
/// call through `&self` that recovers lends the handle to the recovery
/// function with the lock let go (so that the controls and other threads are
/// not held up for the length of a recovery), and this waits for it back.
pub(crate) fn sole_lock_with_handle<C, H>(cell: &SoleCell<C, H>) -> MutexGuard<'_, Sole<C, H>> {
    let mut state = sole_lock(cell);
    while state.ext.handle.is_none() {
        assert!(
            !crate::driver::is_recovering(std::ptr::from_ref::<Sole<C, H>>(&state) as usize),
            "a cover's handle was asked for inside its own recovery function, which has it; use the handle the recovery function is given"
        );
        drop(state);
        // Only while another thread recovers through `&self`: rare enough
        // that a condition variable is not worth its room in every cover.
        std::thread::sleep(std::time::Duration::from_millis(1));
        state = sole_lock(cell);
    }
    state
}

/// A cover's link to its group: owned outright until the first dup.
pub(crate) enum Membership<C, H> {
    Sole(Box<SoleCell<C, H>>),
    Shared(Arc<Shared<Ext<C, H>>>),
    /// Only while `dup` moves a sole group behind the lock.
    Transition,
}

impl<C: Connection, H: Recoverable> GroupCell for SoleCell<C, H> {
    fn with_group(&self, f: &mut dyn FnMut(&mut Group, &Origin)) {
        let mut guard = sole_lock(self);
        let state = &mut *guard;
        f(&mut state.group, &state.ext.origin);
        let events = state.group.take_events();
        drop(guard);
        events.deliver();
    }
}

impl<C: Connection, H: Recoverable> GroupCell for Shared<Ext<C, H>> {
    fn with_group(&self, f: &mut dyn FnMut(&mut Group, &Origin)) {
        let mut state = self.lock();
        let state = &mut *state;
        f(&mut state.group, &state.ext.origin);
    }
}
