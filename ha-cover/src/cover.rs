//! The covered connection.

use std::fmt;
use std::io;
use std::mem;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use ha_cover_engine::{
    AttemptError, Classified, Group, Guard, Member, Next, OpInfo, Shared, Stats,
};

use crate::connection::{Connection, Kind};
use crate::driver::{Access, Settle};
use crate::group::{Ext, Membership, Sole, sole_lock, sole_mut};
use crate::handle::Recoverable;
use crate::ops::Operation;
use crate::origin::Origin;
use crate::recovery::Failure;
use crate::sys::DescriptorProbe;

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
/// A cover is `Send` and `Sync` whatever its handle and recovery function (they
/// are reached by one thread at a time): in an `Arc`, other threads can read
/// its stats and its handle.
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
    pub(crate) member: Member,
    pub(crate) group: Membership<C, H>,
}

impl<C: Connection, H: Recoverable> Cover<C, H> {
    pub(crate) fn assemble(conn: C, group: Group, ext: Ext<C, H>) -> Self {
        Self {
            conn,
            member: group.member(),
            group: Membership::Sole(Box::new(Mutex::new(Sole { group, ext }))),
        }
    }

    /// Runs one operation: the system call alone when nothing fails; the cold
    /// path handles everything else.
    #[inline]
    pub(crate) fn perform<O: Operation<C>>(&mut self, mut op: O) -> io::Result<O::Output> {
        if let Membership::Sole(cell) = &mut self.group {
            let state = sole_mut(cell);
            let result = op.run(&mut self.conn);
            if let Ok(out) = &result
                && !(C::KIND == Kind::Socket && op.is_eof(out))
            {
                if H::OBSERVES_TRANSFERS
                    && let Some(handle) = state.ext.handle.as_mut()
                {
                    op.observe(out, handle);
                }
                if C::KIND == Kind::Socket {
                    op.record(out, state);
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
            && shared.epoch() == self.member.seen_epoch()
        {
            // A dup'ed cover whose handle does not follow transfers needs no
            // lock: one load says no recovery happened since this member's last
            // operation.
            let result = op.run(&mut self.conn);
            if let Ok(out) = &result
                && !(C::KIND == Kind::Socket && op.is_eof(out))
            {
                if C::KIND == Kind::Socket {
                    op.record(out, &mut &**shared);
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
        let Membership::Sole(cell) = &mut self.group else {
            unreachable!("called for a sole cover")
        };
        let state = sole_mut(cell);
        let mut retransmission = false;
        loop {
            let probe = DescriptorProbe(self.conn.descriptor());
            let classified = state.group.classifier().classify(
                result,
                |out| op.is_eof(out),
                O::KIND,
                C::KIND,
                &probe,
            );
            let cause = match classified {
                Classified::Done(out) => {
                    if let Some(handle) = state.ext.handle.as_mut() {
                        op.observe(&out, handle);
                    }
                    if C::KIND == Kind::Socket {
                        op.record(&out, state);
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
            let mut settle = Settle {
                conn: &mut self.conn,
                member: &mut self.member,
                retired: None,
            };
            let info = OpInfo::new(O::KIND, op.len());
            let next = settle.settle(&mut &mut *state, info, Some(cause), retransmission);
            let retired = settle.retired.take();
            match next {
                Next::Resend => {
                    result = op.run(&mut self.conn);
                    retransmission = true;
                    if let Some(dead) = retired {
                        crate::reaper::close_later(dead);
                    }
                }
                Next::Landed(n) => {
                    let out = O::output_for(n);
                    if let Some(handle) = state.ext.handle.as_mut() {
                        op.observe(&out, handle);
                    }
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
        let shared: &Arc<Shared<Ext<C, H>>> = shared;
        // A handle that follows the file position must see the operations that move
        // it in the order the kernel ran them, so those hold the lock across the
        // call. The kernel serializes them on a shared file anyway.
        let lock_across = H::OBSERVES_TRANSFERS && C::KIND == Kind::File && O::MOVES_POSITION;
        let info = OpInfo::new(O::KIND, op.len());
        // The connection a recovery replaced, closed once the operation has run
        // again (see `Settle::retired`).
        let mut retired: Option<C> = None;
        let mut retransmission = false;
        loop {
            let mut guard: Option<Guard<'_, Ext<C, H>>> = None;
            let mut result = match ran.take() {
                Some(result) => result,
                None => {
                    if shared.epoch() != member.seen_epoch() {
                        let mut settle = Settle {
                            conn: &mut *conn,
                            member: &mut *member,
                            retired: None,
                        };
                        let next = settle.settle(&mut &*shared, info, None, false);
                        if let Some(dead) = settle.retired.take() {
                            crate::reaper::close_later(dead);
                        }
                        if let Next::Fail(e) = next {
                            return Err(e);
                        }
                    }
                    if lock_across {
                        let state = shared.lock();
                        if state.group.epoch() != member.seen_epoch() || state.ext.handle.is_none()
                        {
                            // A recovery ended (or is running) since: settle first.
                            drop(state);
                            if shared.epoch() == member.seen_epoch() {
                                Access::<C, H>::wait(&mut &*shared, member.seen_epoch());
                            }
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
                let probe = DescriptorProbe(conn.descriptor());
                let classified = shared.classifier().classify(
                    result,
                    |out| op.is_eof(out),
                    O::KIND,
                    C::KIND,
                    &probe,
                );
                match classified {
                    Classified::Done(out) => {
                        if H::OBSERVES_TRANSFERS {
                            let mut state = guard.take().unwrap_or_else(|| shared.lock());
                            // Lent to a recovery function that uses its own
                            // group's cover: the transfer goes unobserved rather
                            // than failing an operation that worked.
                            if let Some(handle) = state.ext.handle.as_mut() {
                                op.observe(&out, handle);
                            }
                        }
                        drop(guard);
                        if C::KIND == Kind::Socket {
                            op.record(&out, &mut &**shared);
                        }
                        return Ok(out);
                    }
                    Classified::Again => result = op.run(conn),
                    Classified::Pass(e) => return Err(e),
                    Classified::Failed(cause) => break cause,
                }
            };
            drop(guard);
            let mut settle = Settle {
                conn: &mut *conn,
                member: &mut *member,
                retired: None,
            };
            let next = settle.settle(&mut &*shared, info, Some(cause), retransmission);
            retired = settle.retired.take();
            match next {
                Next::Resend => retransmission = true,
                Next::Landed(n) => {
                    let out = O::output_for(n);
                    if let Some(handle) = shared.lock().ext.handle.as_mut() {
                        op.observe(&out, handle);
                    }
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
            let Sole { group, ext } = state.into_inner().unwrap_or_else(PoisonError::into_inner);
            self.group = Membership::Shared(Arc::new(Shared::new(group, ext)));
        }
        let Membership::Shared(shared) = &self.group else {
            unreachable!("made shared above")
        };
        // Under the lock, so that a recovery counting the members that still
        // have to move to its connection counts this one.
        let mut state = shared.lock();
        if self.member.generation() != state.group.generation() && state.ext.latest.is_some() {
            state.ext.behind += 1;
        }
        let group = Membership::Shared(Arc::clone(shared));
        drop(state);
        Ok(Self {
            conn,
            member: self.member,
            group,
        })
    }

    fn state(&self) -> StateRef<'_, C, H> {
        match &self.group {
            Membership::Sole(cell) => StateRef::Sole(sole_lock(cell)),
            Membership::Shared(shared) => StateRef::Locked(lock_with_handle(shared)),
            Membership::Transition => unreachable!("only during dup"),
        }
    }

    fn state_mut(&mut self) -> StateMut<'_, C, H> {
        match &mut self.group {
            Membership::Sole(cell) => StateMut::Sole(sole_mut(cell)),
            Membership::Shared(shared) => StateMut::Locked(lock_with_handle(shared)),
            Membership::Transition => unreachable!("only during dup"),
        }
    }

    /// The client's handle (shared by all dups). While a recovery function of
    /// the group has it, this waits for the recovery to end. The guard holds
    /// the group's lock: drop it before calling anything else on the cover or
    /// its dups, which would wait for it.
    ///
    /// # Panics
    /// If called from inside the recovery function of this cover's own group,
    /// which has the handle.
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

    fn with_group<R>(&self, f: impl FnOnce(&Group, &Ext<C, H>) -> R) -> R {
        match &self.group {
            Membership::Sole(cell) => {
                let state = sole_lock(cell);
                f(&state.group, &state.ext)
            }
            Membership::Shared(shared) => {
                let state = shared.lock();
                f(&state.group, &state.ext)
            }
            Membership::Transition => unreachable!("only during dup"),
        }
    }

    fn with_group_mut<R>(&mut self, f: impl FnOnce(&mut Group, &mut Ext<C, H>) -> R) -> R {
        match &mut self.group {
            Membership::Sole(cell) => (&mut sole_mut(cell)).with(f),
            Membership::Shared(shared) => (&*shared).with(f),
            Membership::Transition => unreachable!("only during dup"),
        }
    }

    /// What recovery has done on this connection group.
    pub fn stats(&self) -> Stats {
        self.with_group(|group, _| group.stats().clone())
    }

    /// How the connection was opened, where recovery helpers reopen or reconnect.
    pub fn origin(&self) -> Origin {
        self.with_group(|_, ext| ext.origin.clone())
    }

    /// How many times the group's connection has been replaced by a recovery.
    pub fn generation(&self) -> u64 {
        self.with_group(|group, _| group.generation())
    }

    /// The connection under the cover. I/O on it directly is not covered.
    pub fn get_ref(&self) -> &C {
        &self.conn
    }

    /// Replaces the recovery function of the whole group (QNX's `ha_attach` with
    /// `HAREPLACERECOVERYFN`). It is used from the next attempt on.
    pub fn set_recovery<F>(&mut self, recovery: F)
    where
        F: FnMut(&Failure<'_, C>, &mut H) -> Result<C, AttemptError> + Send + 'static,
    {
        self.with_group_mut(|_, ext| ext.recovery = Some(Box::new(recovery)));
    }

    /// Suspends recovery (`HA_RECOVERY_SUSPEND`): failures are returned as they
    /// come until [`enable`](Self::enable).
    pub fn suspend(&mut self) {
        self.with_group_mut(|group, _| group.suspend());
    }

    /// Enables recovery again (`HA_RECOVERY_ENABLE`).
    pub fn enable(&mut self) {
        self.with_group_mut(|group, _| group.enable());
    }

    /// Whether recovery is suspended.
    pub fn is_suspended(&self) -> bool {
        self.with_group(|group, _| group.is_suspended())
    }

    /// Sets the most attempts one failure may use (`HA_RECOVERY_ICOUNT`); `None` is
    /// unlimited. The count restarts after each successful recovery; once used up,
    /// later failures give up at once until [`reset_attempts`](Self::reset_attempts).
    pub fn set_attempt_limit(&mut self, limit: Option<u32>) {
        self.with_group_mut(|group, _| group.set_attempt_limit(limit));
    }

    /// Sets the most recoveries the group may make in all (`HA_RECOVERY_ACOUNT`);
    /// `None` is unlimited.
    pub fn set_total_limit(&mut self, limit: Option<u32>) {
        self.with_group_mut(|group, _| group.set_total_limit(limit));
    }

    /// Forgets the attempts used on the current failure (`HA_RECOVERY_RESET_ICOUNT`).
    pub fn reset_attempts(&mut self) {
        self.with_group_mut(|group, _| group.reset_attempts());
    }

    /// Forgets the recoveries counted against the total limit (`HA_RECOVERY_RESET_ACOUNT`).
    pub fn reset_total(&mut self) {
        self.with_group_mut(|group, _| group.reset_total());
    }

    /// Stops covering (QNX's `ha_detach`): returns the connection as it is now.
    pub fn into_inner(self) -> C {
        self.into_parts().0
    }

    /// Stops covering: returns the connection, and the handle when this was the
    /// group's last member.
    pub fn into_parts(self) -> (C, Option<H>) {
        let handle = match self.group {
            Membership::Sole(cell) => {
                cell.into_inner()
                    .unwrap_or_else(PoisonError::into_inner)
                    .ext
                    .handle
            }
            Membership::Shared(shared) => {
                leave(&shared, &self.member);
                Arc::into_inner(shared)
                    .and_then(Shared::into_inner)
                    .and_then(|inner| inner.ext.handle)
            }
            Membership::Transition => None,
        };
        (self.conn, handle)
    }
}

/// A member leaves its group (dropped or detached): if it had not moved to the
/// newest connection yet, the group need not keep a copy for it.
fn leave<C: Connection, H>(shared: &Shared<Ext<C, H>>, member: &Member) {
    let mut state = shared.lock();
    let behind = member.generation() != state.group.generation();
    state.ext.member_left(behind);
}

/// Locks a dup'ed group once its handle is back from a recovery function.
fn lock_with_handle<C: Connection, H: Recoverable>(
    shared: &Arc<Shared<Ext<C, H>>>,
) -> Guard<'_, Ext<C, H>> {
    let mut state = shared.lock();
    while state.ext.handle.is_none() {
        assert!(
            !crate::driver::is_recovering(Arc::as_ptr(shared) as usize),
            "a cover's handle was asked for inside the recovery function of its own group, which has it; use the handle the recovery function is given"
        );
        let seen = state.group.epoch();
        state = state.wait_for_end(seen);
    }
    state
}

enum StateRef<'a, C, H> {
    Sole(MutexGuard<'a, Sole<C, H>>),
    Locked(Guard<'a, Ext<C, H>>),
}

impl<C, H> StateRef<'_, C, H> {
    fn handle(&self) -> &H {
        let ext = match self {
            StateRef::Sole(state) => &state.ext,
            StateRef::Locked(guard) => &guard.ext,
        };
        ext.handle.as_ref().expect("a handle that is not lent")
    }
}

enum StateMut<'a, C, H> {
    Sole(&'a mut Sole<C, H>),
    Locked(Guard<'a, Ext<C, H>>),
}

impl<C, H> StateMut<'_, C, H> {
    fn handle(&self) -> &H {
        let ext = match self {
            StateMut::Sole(state) => &state.ext,
            StateMut::Locked(guard) => &guard.ext,
        };
        ext.handle.as_ref().expect("a handle that is not lent")
    }

    fn handle_mut(&mut self) -> &mut H {
        let ext = match self {
            StateMut::Sole(state) => &mut state.ext,
            StateMut::Locked(guard) => &mut guard.ext,
        };
        ext.handle.as_mut().expect("a handle that is not lent")
    }
}

/// The handle of a cover, borrowed (see [`Cover::handle`]). It holds the
/// group's lock: keep it briefly.
pub struct HandleRef<'a, C: Connection, H: Recoverable>(StateRef<'a, C, H>);

impl<C: Connection, H: Recoverable> Deref for HandleRef<'_, C, H> {
    type Target = H;
    fn deref(&self) -> &H {
        self.0.handle()
    }
}

/// The handle of a cover, mutably borrowed (see [`Cover::handle_mut`]).
pub struct HandleMut<'a, C: Connection, H: Recoverable>(StateMut<'a, C, H>);

impl<C: Connection, H: Recoverable> Deref for HandleMut<'_, C, H> {
    type Target = H;
    fn deref(&self) -> &H {
        self.0.handle()
    }
}

impl<C: Connection, H: Recoverable> DerefMut for HandleMut<'_, C, H> {
    fn deref_mut(&mut self) -> &mut H {
        self.0.handle_mut()
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
        let connection = self.with_group(|group, _| group.connection().to_string());
        f.debug_struct("Cover")
            .field("connection", &format_args!("{connection}"))
            .field("conn", &self.conn)
            .field("generation", &self.member.generation())
            .field("dup", &matches!(self.group, Membership::Shared(_)))
            .finish_non_exhaustive()
    }
}
