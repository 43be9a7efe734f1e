//! The covered connection.

use std::fmt;
use std::io;
use std::mem;
use std::sync::{Arc, Mutex, PoisonError};

use ha_cover_engine::{Classified, Group, Guard, Member, Next, OpInfo, Shared};

use crate::builder::RecoveryFn;
use crate::connection::{Connection, Kind};
use crate::control::Control;
use crate::driver::{Access, Settle};
use crate::group::{Ext, Membership, Sole, sole_lock, sole_mut};
use crate::handle::Recoverable;
use crate::ops::Operation;
use crate::positioned::Positioned;
use crate::recovery::Recover;
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
/// its stats and its handle, read and write at offsets
/// ([`read_at`](Cover::read_at), [`write_at`](Cover::write_at)), and read
/// and write through `&Cover` (`Read` and `Write` for `&Cover`, as std has
/// them for `&File` and `&UnixStream`: a file at its one position, a socket
/// from a reader thread and a writer thread), one recovery serving them all.
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
    /// What positioned calls through `&self` keep (see `positioned.rs`).
    pub(crate) positioned: Positioned<C>,
}

impl<C: Connection, H: Recoverable> Cover<C, H> {
    pub(crate) fn assemble(conn: C, group: Group, ext: Ext<C, H>) -> Self {
        Self {
            conn,
            member: group.member(),
            positioned: Positioned::new(group.is_append()),
            group: Membership::Sole(Box::new(Mutex::new(Sole { group, ext }))),
        }
    }

    /// Runs one operation: the system call alone when nothing fails; the cold
    /// path handles everything else.
    #[inline]
    pub(crate) fn perform<O: Operation<C>>(&mut self, mut op: O) -> io::Result<O::Output> {
        if let Membership::Sole(cell) = &mut self.group {
            let result = op.run(&mut self.conn);
            if let Ok(out) = &result
                && !(C::KIND == Kind::Socket && op.is_eof(out))
            {
                // The group is reached only where it is used: a connection
                // whose handle ignores transfers never touches it here.
                if H::OBSERVES_TRANSFERS
                    && let Some(handle) = sole_mut(cell).ext.handle.as_mut()
                {
                    op.observe(out, handle);
                }
                if C::KIND == Kind::Socket {
                    op.record(out, sole_mut(cell));
                    self.positioned.note_traffic();
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
    fn perform_dupped<O: Operation<C>>(&mut self, op: O) -> io::Result<O::Output> {
        if let Some(slot) = self.positioned.append_slot::<O>() {
            // An append waits for those of the other members (see
            // `Positioned::appends`); a sole cover's `&mut self` has no one
            // to wait for.
            let _append = Positioned::<C>::take_append_slot(&slot, || self.in_own_recovery());
            return self.perform_dupped_in_turn(op);
        }
        self.perform_dupped_in_turn(op)
    }

    #[inline(always)]
    fn perform_dupped_in_turn<O: Operation<C>>(&mut self, mut op: O) -> io::Result<O::Output> {
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
        if self.catch_up_positioned() {
            result = op.run(&mut self.conn);
        }
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
                        crate::background_close::close_later(dead);
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
        if self.catch_up_positioned() {
            ran = None;
        }
        let Cover {
            conn,
            member,
            group,
            positioned: _,
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
        'operation: loop {
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
                            crate::background_close::close_later(dead);
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
                        crate::background_close::close_later(dead);
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
                        if let Some(again) = op.seek_again(&out)
                            && shared.epoch() != member.seen_epoch()
                        {
                            op = again;
                            continue 'operation;
                        }
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

    /// Takes back what positioned calls through `&self` left, if they
    /// recovered since this member's last `&mut self` call: the view of the
    /// group, and the new connection when it could not be put under the
    /// cover's descriptor. True if the connection changed, so that a result
    /// from the old one is not settled again.
    fn catch_up_positioned(&mut self) -> bool {
        let (member, unplaced) = self.positioned.take();
        if let Some(member) = member {
            self.member = member;
        }
        match unplaced {
            Some(fresh) => {
                crate::background_close::close_later(mem::replace(&mut self.conn, fresh));
                true
            }
            None => false,
        }
    }

    /// Another cover on the same connection (QNX's `ha_dup`): a duplicate
    /// descriptor sharing the file position, and the same group: one handle, one
    /// recovery function, one set of counters and limits. One recovery serves every
    /// member; each moves to the new connection on its next operation. Members can
    /// be used from different threads and closed in any order; the group lives
    /// until the last one is dropped. On a file opened `O_APPEND` the members'
    /// writes go one at a time: what became of an append that met a death is
    /// told by the file's growth, which must be that append's alone.
    pub fn dup(&mut self) -> io::Result<Self> {
        let _ = self.catch_up_positioned();
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
            state.ext.latest.one_more_behind();
        }
        let group = Membership::Shared(Arc::clone(shared));
        drop(state);
        Ok(Self {
            conn,
            member: self.member,
            group,
            positioned: self.positioned.for_dup(),
        })
    }

    /// Calls `f` with the client's handle (shared by all dups), and returns
    /// what it returns. While a recovery function of the group has the
    /// handle, this waits for the recovery to end. `f` runs under the group's
    /// lock: it reads or changes the handle and returns, and does not call
    /// into the cover or its dups (which would wait for the lock).
    ///
    /// ```no_run
    /// # use ha_cover::{Cover, Recoverable};
    /// #[derive(Recoverable, Default)]
    /// #[recoverable(strategy = reopen_seek)]
    /// struct Handle {
    ///     #[ha(offset)]
    ///     offset: u64,
    ///     #[ha(recoveries)]
    ///     nr: u32,
    /// }
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let file = Cover::open("/mnt/fuse/data.bin", ha_cover::by_handle, Handle::default())?;
    /// println!("total recoveries, {}", file.with_handle(|h| h.nr));
    /// # Ok(()) }
    /// ```
    ///
    /// # Panics
    /// If called from inside the recovery function of this cover's own group,
    /// which has the handle.
    pub fn with_handle<R>(&self, f: impl FnOnce(&mut H) -> R) -> R {
        match &self.group {
            Membership::Sole(cell) => {
                let mut state = crate::group::sole_lock_with_handle(cell);
                f(state.ext.handle.as_mut().expect("waited for it"))
            }
            Membership::Shared(shared) => {
                let mut state = lock_with_handle(shared);
                f(state.ext.handle.as_mut().expect("waited for it"))
            }
            Membership::Transition => unreachable!("only during dup"),
        }
    }

    /// The recovery controls of the connection and its dups: suspend, enable,
    /// limits, counters, stats (QNX's `ha_connection_ctrl`).
    pub fn control(&self) -> Control<'_> {
        match &self.group {
            Membership::Sole(cell) => Control::new(&**cell),
            Membership::Shared(shared) => Control::new(&**shared),
            Membership::Transition => unreachable!("only during dup"),
        }
    }

    /// A seek moved the position: an append-mode file's no longer says where
    /// its last append ended.
    pub(crate) fn note_seek(&mut self) {
        match &mut self.group {
            Membership::Sole(cell) => sole_mut(cell).group.note_seek(),
            Membership::Shared(shared) => shared.lock().group.note_seek(),
            Membership::Transition => unreachable!("only during dup"),
        }
    }

    /// The connection under the cover. I/O on it directly is not covered.
    pub fn get_ref(&self) -> &C {
        &self.conn
    }

    /// Replaces the recovery function of the whole group (QNX's `ha_attach` with
    /// `HAREPLACERECOVERYFN`). It is used from the next attempt on.
    pub fn set_recovery(&self, recovery: impl RecoveryFn<C, H>) {
        let recovery: Box<dyn Recover<C, H>> = Box::new(recovery);
        match &self.group {
            Membership::Sole(cell) => sole_lock(cell).ext.recovery = Some(recovery),
            Membership::Shared(shared) => shared.lock().ext.recovery = Some(recovery),
            Membership::Transition => unreachable!("only during dup"),
        }
    }

    /// Stops covering (QNX's `ha_detach`): returns the connection as it is now.
    pub fn into_inner(self) -> C {
        self.into_parts().0
    }

    /// Stops covering: returns the connection, and the handle when this was the
    /// group's last member.
    pub fn into_parts(mut self) -> (C, Option<H>) {
        let _ = self.catch_up_positioned();
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
    state.ext.latest.member_left(behind);
}

/// Locks a dup'ed group once its handle is back from a recovery function.
pub(crate) fn lock_with_handle<C: Connection, H: Recoverable>(
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

impl<C: Connection + fmt::Debug, H: Recoverable> fmt::Debug for Cover<C, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let connection = self
            .control()
            .with(|group, _| group.connection().to_string());
        f.debug_struct("Cover")
            .field("connection", &format_args!("{connection}"))
            .field("conn", &self.conn)
            .field("generation", &self.positioned.generation(&self.member))
            .field("dup", &matches!(self.group, Membership::Shared(_)))
            .finish_non_exhaustive()
    }
}
