//! The covered connection.

use std::fmt;
use std::io;
use std::mem;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, MutexGuard};

use crate::AttemptError;
use crate::connection::{Connection, Kind};
use crate::driver::{Next, Parts};
use crate::event::Stats;
use crate::group::{Classified, GroupState, Member, Membership, Shared};
use crate::handle::Recoverable;
use crate::ops::Operation;
use crate::origin::Origin;
use crate::recovery::Failure;
use crate::retransmit::OpInfo;

/// A connection that recovers when the server behind it dies, and retransmits the
/// operation that failed.
///
/// `C` is the connection ([`File`](std::fs::File), [`UnixStream`](std::os::unix::net::UnixStream),
/// [`TcpStream`](std::net::TcpStream) or your own [`Connection`]); `H` is the
/// client's [handle](Recoverable), the state its recovery function is given.
///
/// A cover implements the std I/O traits its connection has (`Read`, `Write`,
/// `Seek`, positioned reads and writes, `AsFd`), so anything generic over them
/// (`BufReader`, `io::copy`, `write!`, serde) recovers without change. When an
/// operation fails with an error in the trigger set (or a socket read hits EOF),
/// the cover runs the recovery function, puts the new connection in place, and
/// retransmits the operation where that is safe
/// (see the crate docs). The new connection has a new descriptor: register it
/// again wherever the old one was (an epoll registration dies with the old
/// connection anyway). Other errors come back unchanged; when recovery is not
/// possible the caller gets the error std would have returned.
///
/// ```no_run
/// use std::io::Read;
/// use ha_cover::Cover;
///
/// # fn main() -> std::io::Result<()> {
/// let mut file = Cover::open("/mnt/nfs/data.bin", ha_cover::reopen_seek, ())?;
/// let mut buf = [0; 15];
/// file.read_exact(&mut buf)?; // a dead server is recovered from, transparently
/// # Ok(()) }
/// ```
pub struct Cover<C: Connection, H: Recoverable = ()> {
    pub(crate) conn: C,
    pub(crate) member: Member<C>,
    pub(crate) group: Membership<C, H>,
}

impl<C: Connection, H: Recoverable> Cover<C, H> {
    pub(crate) fn assemble(conn: C, state: GroupState<C, H>, member: Member<C>) -> Self {
        Self {
            conn,
            member,
            group: Membership::Sole(Box::new(state)),
        }
    }

    /// Runs one operation: the system call alone when nothing fails; the cold
    /// path handles everything else.
    #[inline]
    pub(crate) fn perform<O: Operation<C>>(&mut self, mut op: O) -> io::Result<O::Output> {
        if let Membership::Sole(state) = &mut self.group {
            let result = op.run(&mut self.conn);
            if let Ok(out) = &result
                && !(C::KIND == Kind::Socket && op.is_eof(out))
            {
                op.observe(out, &mut state.handle);
                if C::KIND == Kind::Socket {
                    op.record(out, &mut self.member);
                }
                return result;
            }
            return self.perform_sole_slow(op, result);
        }
        self.perform_dupped(op)
    }

    /// The path of a dup'ed cover when nothing fails, out of line so that a sole
    /// cover's path stays small enough to inline.
    #[inline(never)]
    fn perform_dupped<O: Operation<C>>(&mut self, mut op: O) -> io::Result<O::Output> {
        if let Membership::Shared(shared) = &self.group
            && !H::OBSERVES_TRANSFERS
            && shared.epoch() == self.member.seen_epoch
        {
            // A dup'ed cover whose handle does not follow transfers needs no
            // lock: one load says no recovery happened since this member's last
            // operation.
            let result = op.run(&mut self.conn);
            if let Ok(out) = &result
                && !(C::KIND == Kind::Socket && op.is_eof(out))
            {
                if C::KIND == Kind::Socket {
                    op.record(out, &mut self.member);
                }
                return result;
            }
            return self.perform_shared(op, Some(result));
        }
        self.perform_shared(op, None)
    }

    #[cold]
    #[inline(never)]
    fn perform_sole_slow<O: Operation<C>>(
        &mut self,
        mut op: O,
        mut result: io::Result<O::Output>,
    ) -> io::Result<O::Output> {
        let Membership::Sole(state) = &mut self.group else {
            unreachable!("called for a sole cover")
        };
        loop {
            let cause = match state.classifier.classify(&op, result, &self.conn) {
                Classified::Done(out) => {
                    op.observe(&out, &mut state.handle);
                    if C::KIND == Kind::Socket {
                        op.record(&out, &mut self.member);
                    }
                    return Ok(out);
                }
                Classified::Again => {
                    result = op.run(&mut self.conn);
                    continue;
                }
                Classified::Pass(e) => return Err(e),
                Classified::Failed(cause) => cause,
            };
            let info = OpInfo {
                kind: O::KIND,
                len: op.len(),
                attempted: true,
            };
            let mut parts = Parts {
                state,
                shared: None,
                conn: &mut self.conn,
                member: &mut self.member,
                retired: None,
            };
            let next = parts.settle(info, Some(cause));
            let retired = parts.retired.take();
            match next {
                Next::Resend => {
                    result = op.run(&mut self.conn);
                    if let Some(dead) = retired {
                        crate::reaper::close_later(dead);
                    }
                }
                Next::Landed(n) => {
                    let out = O::output_for(n);
                    op.observe(&out, &mut state.handle);
                    return Ok(out);
                }
                Next::Fail(e) => return Err(e),
                Next::Eof => return Ok(O::output_for(0)),
            }
        }
    }

    /// The path of a dup'ed cover; `ran` is the result of the operation when the
    /// fast path in [`perform`](Self::perform) already ran it against a settled
    /// member.
    #[inline(never)]
    fn perform_shared<O: Operation<C>>(
        &mut self,
        mut op: O,
        mut ran: Option<io::Result<O::Output>>,
    ) -> io::Result<O::Output> {
        let Cover {
            conn,
            member,
            group,
        } = self;
        let Membership::Shared(shared) = group else {
            unreachable!("called for a dup'ed cover")
        };
        let shared: &Arc<Shared<C, H>> = shared;
        // A handle that follows the file position must see the operations that move
        // it in the order the kernel ran them, so those hold the lock across the
        // call. The kernel serializes them on a shared file anyway.
        let lock_across = H::OBSERVES_TRANSFERS && C::KIND == Kind::File && O::MOVES_POSITION;
        // The connection a recovery replaced, closed once the operation has run
        // again (see `Parts::retired`).
        let mut retired: Option<C> = None;
        loop {
            let mut guard = None;
            let mut result = match ran.take() {
                Some(result) => result,
                None => {
                    if shared.epoch() != member.seen_epoch {
                        let mut state = shared.lock()?;
                        let info = OpInfo {
                            kind: O::KIND,
                            len: op.len(),
                            attempted: false,
                        };
                        if let Next::Fail(e) = (Parts {
                            state: &mut state,
                            shared: Some(shared),
                            conn,
                            member,
                            retired: None,
                        })
                        .settle(info, None)
                        {
                            return Err(e);
                        }
                    }
                    if lock_across {
                        let state = shared.lock()?;
                        if state.epoch != member.seen_epoch {
                            continue;
                        }
                        guard = Some(state);
                    }
                    let result = op.run(conn);
                    if let Some(dead) = retired.take() {
                        crate::reaper::close_later(dead);
                    }
                    result
                }
            };
            let cause = loop {
                match shared.classifier.classify(&op, result, conn) {
                    Classified::Done(out) => {
                        if H::OBSERVES_TRANSFERS {
                            // Only a cover used inside its own group's recovery
                            // function can fail to lock here; its transfer then goes
                            // unobserved rather than failing an operation that worked.
                            if let Some(mut state) = guard.map_or_else(|| shared.lock().ok(), Some)
                            {
                                op.observe(&out, &mut state.handle);
                            }
                        }
                        if C::KIND == Kind::Socket {
                            op.record(&out, member);
                        }
                        return Ok(out);
                    }
                    Classified::Again => result = op.run(conn),
                    Classified::Pass(e) => return Err(e),
                    Classified::Failed(cause) => break cause,
                }
            };
            let mut state = match guard.take() {
                Some(state) => state,
                None => shared.lock()?,
            };
            let info = OpInfo {
                kind: O::KIND,
                len: op.len(),
                attempted: true,
            };
            let mut parts = Parts {
                state: &mut state,
                shared: Some(shared),
                conn,
                member,
                retired: None,
            };
            let next = parts.settle(info, Some(cause));
            retired = parts.retired.take();
            match next {
                Next::Resend => continue,
                Next::Landed(n) => {
                    let out = O::output_for(n);
                    op.observe(&out, &mut state.handle);
                    return Ok(out);
                }
                Next::Fail(e) => return Err(e),
                Next::Eof => return Ok(O::output_for(0)),
            }
        }
    }

    /// Another cover on the same connection (QNX's `ha_dup`): a duplicate
    /// descriptor sharing the file position, and the same group: one handle, one
    /// recovery function, one set of counters and limits. One recovery serves every
    /// member; each moves to the new connection on its next operation. Members can
    /// be used from different threads and closed in any order; the group lives
    /// until the last one is dropped.
    pub fn dup(&mut self) -> io::Result<Self> {
        let conn = self.conn.try_dup()?;
        if matches!(self.group, Membership::Sole(_)) {
            let Membership::Sole(state) = mem::replace(&mut self.group, Membership::Transition)
            else {
                unreachable!("just matched")
            };
            self.group = Membership::Shared(Arc::new(Shared::new(*state)));
        }
        let Membership::Shared(shared) = &self.group else {
            unreachable!("made shared above")
        };
        // Under the lock, so that a recovery counting the members that still
        // have to move to its connection counts this one.
        let mut state = shared.lock()?;
        if self.member.generation != state.generation {
            state.behind += 1;
        }
        let group = Membership::Shared(Arc::clone(shared));
        drop(state);
        Ok(Self {
            conn,
            member: self.member.fresh_like(),
            group,
        })
    }

    fn state(&self) -> StateRef<'_, C, H> {
        match &self.group {
            Membership::Sole(state) => StateRef::Sole(state),
            Membership::Shared(shared) => StateRef::Locked(lock_or_panic(shared)),
            Membership::Transition => unreachable!("only during dup"),
        }
    }

    fn state_mut(&mut self) -> StateMut<'_, C, H> {
        match &mut self.group {
            Membership::Sole(state) => StateMut::Sole(state),
            Membership::Shared(shared) => StateMut::Locked(lock_or_panic(shared)),
            Membership::Transition => unreachable!("only during dup"),
        }
    }

    /// The client's handle (shared by all dups).
    ///
    /// # Panics
    /// If called from inside the recovery function of this cover's own group,
    /// which holds the group.
    pub fn handle(&self) -> HandleRef<'_, C, H> {
        HandleRef(self.state())
    }

    /// The client's handle, mutably.
    ///
    /// # Panics
    /// As [`handle`](Self::handle).
    pub fn handle_mut(&mut self) -> HandleMut<'_, C, H> {
        HandleMut(self.state_mut())
    }

    /// What recovery has done on this connection group.
    pub fn stats(&self) -> Stats {
        self.state().stats.clone()
    }

    /// How the connection was opened, where recovery helpers reopen or reconnect.
    pub fn origin(&self) -> Origin {
        self.state().origin.clone()
    }

    /// How many times the group's connection has been replaced by a recovery.
    pub fn generation(&self) -> u64 {
        self.state().generation
    }

    /// The connection under the cover. I/O on it directly is not covered.
    pub fn get_ref(&self) -> &C {
        &self.conn
    }

    /// Replaces the recovery function of the whole group (QNX's `ha_attach` with
    /// `HAREPLACERECOVERYFN`). It is used from the next failure on.
    pub fn set_recovery<F>(&mut self, recovery: F)
    where
        F: FnMut(&Failure<'_, C>, &mut H) -> Result<C, AttemptError> + Send + 'static,
    {
        self.state_mut().recovery = Box::new(recovery);
    }

    /// Suspends recovery (`HA_RECOVERY_SUSPEND`): failures are returned as they
    /// come until [`enable`](Self::enable).
    pub fn suspend(&mut self) {
        self.state_mut().counters.suspended = true;
    }

    /// Enables recovery again (`HA_RECOVERY_ENABLE`).
    pub fn enable(&mut self) {
        self.state_mut().counters.suspended = false;
    }

    /// Whether recovery is suspended.
    pub fn is_suspended(&self) -> bool {
        self.state().counters.suspended
    }

    /// Sets the most attempts one failure may use (`HA_RECOVERY_ICOUNT`); `None` is
    /// unlimited. The count restarts after each successful recovery; once used up,
    /// later failures give up at once until [`reset_attempts`](Self::reset_attempts).
    pub fn set_attempt_limit(&mut self, limit: Option<u32>) {
        self.state_mut().policy.attempts = limit;
    }

    /// Sets the most recoveries the group may make in all (`HA_RECOVERY_ACOUNT`);
    /// `None` is unlimited.
    pub fn set_total_limit(&mut self, limit: Option<u32>) {
        self.state_mut().policy.total = limit;
    }

    /// Forgets the attempts used on the current failure (`HA_RECOVERY_RESET_ICOUNT`).
    pub fn reset_attempts(&mut self) {
        self.state_mut().counters.attempts_used = 0;
    }

    /// Forgets the recoveries counted against the total limit (`HA_RECOVERY_RESET_ACOUNT`).
    pub fn reset_total(&mut self) {
        self.state_mut().counters.recoveries_used = 0;
    }

    /// Stops covering (QNX's `ha_detach`): returns the connection as it is now.
    pub fn into_inner(self) -> C {
        self.conn
    }

    /// Stops covering: returns the connection, and the handle when this was the
    /// group's last member.
    pub fn into_parts(self) -> (C, Option<H>) {
        let handle = match self.group {
            Membership::Sole(state) => Some(state.handle),
            Membership::Shared(shared) => Arc::into_inner(shared).map(|shared| {
                shared
                    .state
                    .into_inner()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .handle
            }),
            Membership::Transition => None,
        };
        (self.conn, handle)
    }
}

fn lock_or_panic<C, H>(shared: &Shared<C, H>) -> MutexGuard<'_, GroupState<C, H>> {
    match shared.lock() {
        Ok(guard) => guard,
        Err(e) => panic!("{e}"),
    }
}

enum StateRef<'a, C, H> {
    Sole(&'a GroupState<C, H>),
    Locked(MutexGuard<'a, GroupState<C, H>>),
}

impl<C, H> Deref for StateRef<'_, C, H> {
    type Target = GroupState<C, H>;
    fn deref(&self) -> &Self::Target {
        match self {
            StateRef::Sole(state) => state,
            StateRef::Locked(guard) => guard,
        }
    }
}

enum StateMut<'a, C, H> {
    Sole(&'a mut GroupState<C, H>),
    Locked(MutexGuard<'a, GroupState<C, H>>),
}

impl<C, H> Deref for StateMut<'_, C, H> {
    type Target = GroupState<C, H>;
    fn deref(&self) -> &Self::Target {
        match self {
            StateMut::Sole(state) => state,
            StateMut::Locked(guard) => guard,
        }
    }
}

impl<C, H> DerefMut for StateMut<'_, C, H> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        match self {
            StateMut::Sole(state) => state,
            StateMut::Locked(guard) => guard,
        }
    }
}

/// The handle of a cover, borrowed (see [`Cover::handle`]). After a dup it holds
/// the group's lock: keep it briefly.
pub struct HandleRef<'a, C: Connection, H: Recoverable>(StateRef<'a, C, H>);

impl<C: Connection, H: Recoverable> Deref for HandleRef<'_, C, H> {
    type Target = H;
    fn deref(&self) -> &H {
        &self.0.handle
    }
}

/// The handle of a cover, mutably borrowed (see [`Cover::handle_mut`]).
pub struct HandleMut<'a, C: Connection, H: Recoverable>(StateMut<'a, C, H>);

impl<C: Connection, H: Recoverable> Deref for HandleMut<'_, C, H> {
    type Target = H;
    fn deref(&self) -> &H {
        &self.0.handle
    }
}

impl<C: Connection, H: Recoverable> DerefMut for HandleMut<'_, C, H> {
    fn deref_mut(&mut self) -> &mut H {
        &mut self.0.handle
    }
}

impl<C: Connection, H: Recoverable + fmt::Debug> fmt::Debug for HandleRef<'_, C, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl<C: Connection, H: Recoverable + fmt::Debug> fmt::Debug for HandleMut<'_, C, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl<C: Connection + fmt::Debug, H: Recoverable> fmt::Debug for Cover<C, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cover")
            .field("conn", &self.conn)
            .field("generation", &self.member.generation)
            .field("dup", &matches!(self.group, Membership::Shared(_)))
            .finish_non_exhaustive()
    }
}
