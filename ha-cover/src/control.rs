//! The recovery controls of a connection group (QNX's `ha_connection_ctrl`),
//! written once for every kind of cover: sync and async, typed or not.

use std::fmt;

use ha_cover_engine::{Group, Stats};

use crate::origin::Origin;

/// Where a cover keeps its group: the controls reach it through this, under
/// its lock.
pub(crate) trait GroupCell: Send + Sync {
    /// Calls `f` with the group and where its connection came from, locked.
    fn with_group(&self, f: &mut dyn FnMut(&mut Group, &Origin));
}

/// The recovery controls of a cover and its dups, QNX's `ha_connection_ctrl`:
/// what [`control`](crate::Cover::control) returns on every kind of cover
/// (sync or async, typed or not).
///
/// Each call takes the group's lock for its own length; a change applies to
/// every dup and to the next recovery (one under way finishes with the
/// limits it started with, unless it is still counting attempts).
///
/// ```no_run
/// use ha_cover::Cover;
///
/// # fn main() -> std::io::Result<()> {
/// let file = Cover::open("/mnt/fuse/data.bin", ha_cover::reopen_seek, ())?;
/// file.control().suspend();                 // HA_RECOVERY_SUSPEND
/// file.control().set_attempt_limit(Some(5)); // HA_RECOVERY_ICOUNT
/// file.control().enable();                  // HA_RECOVERY_ENABLE
/// println!("{} recoveries", file.control().stats().recoveries);
/// # Ok(()) }
/// ```
#[derive(Clone, Copy)]
pub struct Control<'a> {
    cell: &'a dyn GroupCell,
}

impl<'a> Control<'a> {
    pub(crate) fn new(cell: &'a dyn GroupCell) -> Self {
        Self { cell }
    }

    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut Group, &Origin) -> R) -> R {
        let mut f = Some(f);
        let mut out = None;
        self.cell.with_group(&mut |group, origin| {
            let f = f.take().expect("called once");
            out = Some(f(group, origin));
        });
        out.expect("with_group calls back")
    }

    /// What recovery has done on this connection group.
    pub fn stats(&self) -> Stats {
        self.with(|group, _| group.stats().clone())
    }

    /// How the connection was opened, where recovery helpers reopen or
    /// reconnect.
    pub fn origin(&self) -> Origin {
        self.with(|_, origin| origin.clone())
    }

    /// How many times the group's connection has been replaced by a recovery.
    pub fn generation(&self) -> u64 {
        self.with(|group, _| group.generation())
    }

    /// Suspends recovery (`HA_RECOVERY_SUSPEND`): failures are returned as
    /// they come until [`enable`](Self::enable).
    pub fn suspend(&self) {
        self.with(|group, _| group.suspend());
    }

    /// Enables recovery again (`HA_RECOVERY_ENABLE`).
    pub fn enable(&self) {
        self.with(|group, _| group.enable());
    }

    /// Whether recovery is suspended.
    pub fn is_suspended(&self) -> bool {
        self.with(|group, _| group.is_suspended())
    }

    /// Sets the most attempts one failure may use (`HA_RECOVERY_ICOUNT`);
    /// `None` is unlimited. The count restarts after each successful
    /// recovery; once used up, later failures give up at once until
    /// [`reset_attempts`](Self::reset_attempts).
    pub fn set_attempt_limit(&self, limit: Option<u32>) {
        self.with(|group, _| group.set_attempt_limit(limit));
    }

    /// Sets the most recoveries the group may make in all
    /// (`HA_RECOVERY_ACOUNT`); `None` is unlimited.
    pub fn set_total_limit(&self, limit: Option<u32>) {
        self.with(|group, _| group.set_total_limit(limit));
    }

    /// Forgets the attempts used on the current failure
    /// (`HA_RECOVERY_RESET_ICOUNT`).
    pub fn reset_attempts(&self) {
        self.with(|group, _| group.reset_attempts());
    }

    /// Forgets the recoveries counted against the total limit
    /// (`HA_RECOVERY_RESET_ACOUNT`).
    pub fn reset_total(&self) {
        self.with(|group, _| group.reset_total());
    }
}

impl fmt::Debug for Control<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.with(|group, origin| {
            f.debug_struct("Control")
                .field("origin", origin)
                .field("generation", &group.generation())
                .field("suspended", &group.is_suspended())
                .finish_non_exhaustive()
        })
    }
}
