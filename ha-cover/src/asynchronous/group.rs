//! The async cover's side of a connection group, and each member's view.
//!
//! Every async cover keeps its group in the engine's [`Shared`], even before
//! a dup: a recovery runs as a task of its own, which the group must outlive,
//! so that a member whose future is dropped in the middle of a recovery does
//! not take the recovery with it. Every member, the one that failed first
//! included, moves to the new connection by the same path.

use std::sync::Arc;

use ha_cover_engine::{Cause, Member, Shared};

use super::append_slot::{AppendSlot, AppendTurn};

use super::ops::OpIdentity;
use super::recover::AsyncRecover;
use crate::latest::Latest;
use crate::origin::{Identity, Origin};

/// What the async front end keeps for a group.
pub(crate) struct AsyncExt<C, H> {
    /// The client's handle; `None` while the recovery task lends it to the
    /// recovery function.
    pub handle: Option<H>,
    /// The recovery function, lent like the handle.
    pub recovery: Option<Box<dyn AsyncRecover<C, H>>>,
    pub origin: Origin,
    pub identity: Option<Identity>,
    /// The connection the latest recovery made; members move to it.
    pub latest: Latest<C>,
}

pub(crate) type AsyncGroup<C, H> = Shared<AsyncExt<C, H>>;

/// One member's own state.
pub(crate) struct AsyncMember<C> {
    pub view: Member,
    /// The failure of the operation in progress, and which call that is, while
    /// it waits for a recovery; its error is the caller's if the recovery gives
    /// up.
    /// The third field says whether the call was being sent again after a
    /// recovery (so the recovery did not hold), until the group is told.
    pub failed: Option<(Cause, OpIdentity, bool)>,
    /// Waiting for the group's recovery in flight to end.
    pub waiting: bool,
    /// The call sent again after a recovery: if it fails at once, the
    /// recovery did not hold.
    pub resent: Option<OpIdentity>,
    /// The connection this member left for a new one, closed once the
    /// operation has run again.
    pub retired: Option<C>,
    /// Nothing of the above is pending: the one flag the path with no failure
    /// reads. Set by the cold path as it returns.
    pub quiet: bool,
    /// The group's append slot, on a file opened `O_APPEND`: such a member's
    /// operations take the cold path, which holds it across each write.
    pub appends: Option<Arc<AppendSlot>>,
    /// The slot, while this member's write holds it.
    pub append_turn: Option<AppendTurn>,
}

impl<C> AsyncMember<C> {
    /// A member of a group whose members share `appends`.
    pub fn new(view: Member, appends: Option<Arc<AppendSlot>>) -> Self {
        Self {
            view,
            failed: None,
            waiting: false,
            resent: None,
            retired: None,
            quiet: appends.is_none(),
            appends,
            append_turn: None,
        }
    }

    /// Whether the operation polled now (`id`, when a failure is pending) is
    /// the one that failed, polled again, rather than a new call made after the
    /// failed one's future was dropped. The failure of an abandoned call is
    /// forgotten: its caller gave up knowing its fate, and crediting what it
    /// may have written to the new call would lose the new call's bytes.
    pub fn keep_failure_of(&mut self, id: OpIdentity) {
        if self
            .failed
            .as_ref()
            .is_some_and(|(_, failed, _)| *failed != id)
        {
            self.failed = None;
        }
    }

    /// Whether the member has something to finish before its next operation
    /// can run on the path with no failure.
    pub fn unsettled(&self) -> bool {
        self.waiting
            || self.retired.is_some()
            || self.failed.is_some()
            || self.resent.is_some()
            || self.appends.is_some()
    }
}

impl<C: super::connection::AsyncConnection, H: crate::handle::Recoverable> crate::control::GroupCell
    for AsyncGroup<C, H>
{
    fn with_group(&self, f: &mut dyn FnMut(&mut ha_cover_engine::Group, &Origin)) {
        let mut state = self.lock();
        let state = &mut *state;
        f(&mut state.group, &state.ext.origin);
    }
}
