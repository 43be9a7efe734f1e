//! Positioned I/O through `&self` (std's `FileExt`): threads that share one
//! cover, in an `Arc`, read and write at offsets without a dup each; and
//! the reads and writes at a file's position through `&Cover` (`io_ref.rs`),
//! which run on the same path.
//!
//! A positioned call leaves the file position alone, so it needs nothing of
//! the cover's own but its descriptor: on the path with no failure it is the
//! `pread` or `pwrite` alone, on the cover's connection, through `&C`. What a
//! recovery does to the cover through `&mut self` (put the new connection in
//! its place) a call through `&self` does the way QNX's `ha_reopen` does: it
//! puts the new open file description under the cover's own descriptor
//! number (`dup3`), so every thread's next call reaches it without anything
//! of the cover changing but what the descriptor refers to. The member's view
//! of its group (which recovery it has seen) is kept here meanwhile, and the
//! cover's next `&mut self` call that leaves its path with no failure takes
//! it back.
//!
//! Threads race only on what the descriptor refers to, and a count of the
//! repoints says when a call's result came from a connection since
//! replaced: each call reads it before its system call, and a failure is
//! settled (or an error passed on) only under the lock that repoints, if no
//! repoint happened since; otherwise the engine decides it with what the
//! recovery found about the connection it replaced, as for a member that
//! moved (`Group::decide_replaced`): reads and positioned writes run again
//! on the new connection; a write at the file position runs again only if
//! every recovery since kept the position. A connection type that cannot be
//! repointed leaves the new connection here, for the next `&mut self` call
//! to move to.
//!
//! Two kinds of sequential call must not overlap, and take a lock: appends
//! (the size a failed one finds must be its own doing), and calls that move
//! the position for a handle that follows transfers (it must see them in
//! the kernel's order, and a recovery must never read it between a
//! transfer and its observation).

use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, TryLockError};

use ha_cover_engine::{Cause, Classified, Group, Kind, Ledger, Member, Next, OpInfo, OpKind};

use crate::connection::Connection;
use crate::cover::Cover;
use crate::driver::{Access, Settle};
use crate::group::{Ext, Membership, ReplayWriter, sole_lock, sole_lock_with_handle};
use crate::handle::Recoverable;
use crate::ops::{Operation, Traffic};
use crate::sys::DescriptorProbe;

/// What `&self` calls keep of a cover between them.
pub(crate) struct Positioned<C> {
    /// How many times a `&self` call put a new connection under the cover's
    /// descriptor: read before each call, so that a call that failed on the
    /// connection another thread has replaced since runs again instead of
    /// reporting a death that was already recovered.
    repointed: AtomicU64,
    /// What recoveries made through `&self` left for the cover's next
    /// `&mut self` call; the lock also makes one `&self` call at a time
    /// settle a failure, and is held while the descriptor is repointed and
    /// `repointed` counts it.
    view: Mutex<View<C>>,
    /// The recovery cycles the view's member has seen (0 with no view), for
    /// the path with no failure of a dup'ed cover to tell without the lock
    /// that another member recovered since.
    seen_epoch: AtomicU64,
    /// For a file opened `O_APPEND`, the group's append slot: held across an
    /// append (the whole call, its recovery and resending included) by every
    /// member of the group, through `&self` and, on a dup'ed cover, through
    /// `&mut self`. What became of an append that met a death is read from
    /// the file's growth, which is only its own doing if no other append was
    /// under way: otherwise the growth of the one that landed could be
    /// credited to another, whose caller would be told its record was
    /// written while it was not. Dups share it (`for_dup`).
    appends: Option<Arc<Mutex<()>>>,
    /// Held across a socket write's `send` and its count in the ledger; a
    /// recovery of a socket takes it, so that it finds every byte sent on
    /// the dead connection counted.
    serial: Mutex<()>,
    /// Recoveries a `&self` call began (or caught up with): a socket read
    /// that returns data answers nothing if one began since it started.
    begun: AtomicU64,
    /// Whether the ledger may hold unanswered bytes (a sole cover's reads
    /// then take its lock to note their answer; a dup'ed one's group says).
    maybe_unanswered: AtomicBool,
}

struct View<C> {
    /// The member's view of its group after recoveries through `&self`.
    member: Option<Member>,
    /// A new connection that could not be put under the cover's descriptor
    /// (its type does not [`repoint`](Connection::repoint)): the cover's next
    /// `&mut self` call moves to it, and `&self` calls fail until then.
    unplaced: Option<C>,
    /// The generation of the connection the cover was on before the last
    /// repoint: a call that failed there is told what the latest recovery
    /// found about it.
    before_last: Option<u64>,
    /// The count of repoints at the latest one whose recovery did not put
    /// the file position where the dead description had it (or whose facts
    /// the cover could not tell): a sequential write that failed before it
    /// cannot be sent again at the position the others left.
    unkept: Option<u64>,
}

impl<C> Positioned<C> {
    /// For a cover on a file opened `O_APPEND` when `append` is true.
    pub(crate) fn new(append: bool) -> Self {
        Self {
            repointed: AtomicU64::new(0),
            view: Mutex::new(View {
                member: None,
                unplaced: None,
                before_last: None,
                unkept: None,
            }),
            seen_epoch: AtomicU64::new(0),
            appends: append.then(Arc::default),
            serial: Mutex::new(()),
            begun: AtomicU64::new(0),
            maybe_unanswered: AtomicBool::new(true),
        }
    }

    /// A `&mut self` call counted bytes in the ledger: reads through `&self`
    /// must look again.
    #[inline]
    pub(crate) fn note_traffic(&mut self) {
        *self.maybe_unanswered.get_mut() = true;
    }

    /// What a dup of the cover keeps: its own view, the group's append slot.
    pub(crate) fn for_dup(&self) -> Self {
        let mut dup = Self::new(false);
        dup.appends.clone_from(&self.appends);
        dup
    }

    /// The group's append slot, taken for the length of a write when the
    /// file was opened `O_APPEND` (see [`Positioned::appends`]).
    pub(crate) fn append_slot<O: Operation<C>>(&self) -> Option<Arc<Mutex<()>>> {
        if O::KIND != OpKind::Write {
            return None;
        }
        self.appends.clone()
    }

    /// Takes the group's append slot `slot`, waiting for the append under
    /// way, unless this thread runs the group's own recovery function
    /// (`own_recovery` says, asked only when the slot is taken): an append
    /// it makes through a member of its group fails on the dead connection
    /// and is not recovered again, and waiting for the append whose recovery
    /// called it would never end.
    pub(crate) fn take_append_slot(
        slot: &Mutex<()>,
        own_recovery: impl FnOnce() -> bool,
    ) -> Option<MutexGuard<'_, ()>> {
        match slot.try_lock() {
            Ok(turn) => Some(turn),
            Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
            Err(TryLockError::WouldBlock) if own_recovery() => None,
            Err(TryLockError::WouldBlock) => {
                Some(slot.lock().unwrap_or_else(PoisonError::into_inner))
            }
        }
    }

    /// What `&self` calls left for the cover itself: its member's view, and
    /// a connection to move to (called by the `&mut self` paths that leave
    /// the one with no failure).
    pub(crate) fn take(&mut self) -> (Option<Member>, Option<C>) {
        *self.seen_epoch.get_mut() = 0;
        // The `&mut self` call counts its bytes in the ledger.
        *self.maybe_unanswered.get_mut() = true;
        let view = self.view.get_mut().unwrap_or_else(PoisonError::into_inner);
        (view.member.take(), view.unplaced.take())
    }

    /// The generation of the connection the member `own` is on, counting
    /// the moves made through `&self` since its last `&mut self` call.
    pub(crate) fn generation(&self, own: &Member) -> u64 {
        let view = self.view.lock().unwrap_or_else(PoisonError::into_inner);
        view.member.as_ref().unwrap_or(own).generation()
    }
}

/// An operation that runs on a shared connection (`pread`, `pwrite`, and
/// `read`/`write` through `&File`).
pub(crate) trait SharedOperation<C>: Operation<C> {
    fn run_shared(&mut self, conn: &C) -> io::Result<Self::Output>;
}

impl<C: Connection, H: Recoverable> Cover<C, H> {
    /// Runs a positioned operation through `&self`: the system call alone
    /// when nothing fails (and, on a dup'ed cover, one load that says no
    /// other member recovered since).
    #[inline]
    pub(crate) fn perform_ref<O: SharedOperation<C>>(&self, mut op: O) -> io::Result<O::Output> {
        if C::KIND == Kind::Socket {
            return self.perform_ref_socket(op);
        }
        if (H::OBSERVES_TRANSFERS && O::MOVES_POSITION)
            || (O::KIND == OpKind::Write && self.positioned.appends.is_some())
        {
            return self.perform_ref_in_order(op);
        }
        let repointed = self.positioned.repointed.load(Ordering::Acquire);
        if let Membership::Shared(shared) = &self.group
            && shared.epoch() != self.seen_epoch_ref()
        {
            // Another member recovered: this one's connection is the one
            // that died (or was given up on), not to be read or written;
            // move to the new one first, as calls through `&mut self` do.
            return self.perform_ref_slow(op, None, repointed);
        }
        let result = op.run_shared(&self.conn);
        match &result {
            Ok(out) if !H::OBSERVES_TRANSFERS => {
                let _ = out;
                result
            }
            _ => self.perform_ref_slow(op, Some(result), repointed),
        }
    }

    /// A positioned write (`pwrite`): on a file opened `O_APPEND`, Linux
    /// appends it whatever its offset, so it waits for the other appends
    /// and they for it (the growth a failed append finds must be its own),
    /// and one that succeeded leaves the position behind the end of the
    /// file, no longer where the last append ended, as a seek does.
    #[inline]
    pub(crate) fn perform_write_at<O: SharedOperation<C>>(&self, op: O) -> io::Result<O::Output> {
        let Some(slot) = &self.positioned.appends else {
            return self.perform_ref(op);
        };
        let _append = Positioned::<C>::take_append_slot(slot, || self.in_own_recovery());
        let result = self.perform_ref(op);
        if result.is_ok() {
            self.with_group(|group, _| group.note_seek());
        }
        result
    }

    /// Runs a sequential operation through `&self` that must not overlap
    /// with others: an append (one at a time, see [`Positioned::appends`]),
    /// or one that moves the file position for a handle that follows
    /// transfers ([`run_ref`](Self::run_ref)).
    #[inline(never)]
    fn perform_ref_in_order<O: SharedOperation<C>>(&self, mut op: O) -> io::Result<O::Output> {
        let _append = (O::KIND == OpKind::Write)
            .then_some(self.positioned.appends.as_ref())
            .flatten()
            .and_then(|slot| Positioned::<C>::take_append_slot(slot, || self.in_own_recovery()));
        let repointed = self.positioned.repointed.load(Ordering::Acquire);
        if let Membership::Shared(shared) = &self.group
            && shared.epoch() != self.seen_epoch_ref()
        {
            return self.perform_ref_slow(op, None, repointed);
        }
        match self.run_ref(&mut op) {
            Ok(out) => Ok(out),
            result => self.perform_ref_slow(op, Some(result), repointed),
        }
    }

    /// A socket's call through `&self`: the system call and its count in the
    /// ledger (see [`run_ref_socket`](Self::run_ref_socket)) when nothing
    /// fails.
    #[inline]
    fn perform_ref_socket<O: SharedOperation<C>>(&self, mut op: O) -> io::Result<O::Output> {
        let repointed = self.positioned.repointed.load(Ordering::Acquire);
        if let Membership::Shared(shared) = &self.group
            && shared.epoch() != self.seen_epoch_ref()
        {
            return self.perform_ref_slow(op, None, repointed);
        }
        let result = self.run_ref_socket(&mut op);
        match &result {
            Ok(out) if !op.is_eof(out) => result,
            _ => self.perform_ref_slow(op, Some(result), repointed),
        }
    }

    /// Runs a socket's operation once, and counts it in the group's ledger
    /// of unanswered bytes: a write sends and counts under `serial`, which a
    /// recovery takes before it looks at the ledger, so that the ledger
    /// holds every byte sent on the dead connection; a read that returns
    /// data answers what was counted when it returned (the model of a
    /// request and its answer that the ledger keeps for `&mut self` calls
    /// too), unless a recovery began since it started.
    fn run_ref_socket<O: SharedOperation<C>>(&self, op: &mut O) -> io::Result<O::Output> {
        let positioned = &self.positioned;
        if O::KIND.writes() {
            let _sending = positioned
                .serial
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let result = op.run_shared(&self.conn);
            if let Ok(out) = &result {
                op.record(out, &mut RefTraffic::new(self));
            }
            return result;
        }
        let mut traffic = RefTraffic::new(self);
        let result = op.run_shared(&self.conn);
        if let Ok(out) = &result {
            op.record(out, &mut traffic);
        }
        result
    }

    /// Calls `f` with the group, under its lock.
    fn with_group<R>(&self, f: impl FnOnce(&mut Group, &mut Ext<C, H>) -> R) -> R {
        match &self.group {
            Membership::Sole(cell) => {
                let mut state = sole_lock(cell);
                let state = &mut *state;
                f(&mut state.group, &mut state.ext)
            }
            Membership::Shared(shared) => {
                let mut state = shared.lock();
                let state = &mut *state;
                f(&mut state.group, &mut state.ext)
            }
            Membership::Transition => unreachable!("only during dup"),
        }
    }

    /// Whether this thread is running the recovery function of the cover's
    /// group.
    pub(crate) fn in_own_recovery(&self) -> bool {
        let id = match &self.group {
            Membership::Sole(cell) => {
                std::ptr::from_ref::<crate::group::Sole<C, H>>(&sole_lock(cell)) as usize
            }
            Membership::Shared(shared) => std::sync::Arc::as_ptr(shared) as usize,
            Membership::Transition => return false,
        };
        crate::driver::is_recovering(id)
    }

    /// Whether `run_ref` tells the handle of a transfer itself.
    const fn observes_in_order<O: Operation<C>>() -> bool {
        H::OBSERVES_TRANSFERS && O::MOVES_POSITION
    }

    /// Runs the operation once. One that moves the file position, for a
    /// handle that follows transfers, runs under the group's lock and tells
    /// the handle before letting go: the handle then sees transfers in the
    /// order the kernel made them, and a recovery (which reads the handle
    /// under that lock) never finds the position moved by a transfer the
    /// handle has not seen.
    fn run_ref<O: SharedOperation<C>>(&self, op: &mut O) -> io::Result<O::Output> {
        if C::KIND == Kind::Socket {
            return self.run_ref_socket(op);
        }
        if !Self::observes_in_order::<O>() {
            return op.run_shared(&self.conn);
        }
        let run = |op: &mut O, handle: Option<&mut H>| {
            let result = op.run_shared(&self.conn);
            if let (Ok(out), Some(handle)) = (&result, handle) {
                op.observe(out, handle);
            }
            result
        };
        match &self.group {
            Membership::Sole(cell) => {
                let mut state = sole_lock_with_handle(cell);
                run(op, state.ext.handle.as_mut())
            }
            Membership::Shared(shared) => {
                let mut state = crate::cover::lock_with_handle(shared);
                run(op, state.ext.handle.as_mut())
            }
            Membership::Transition => unreachable!("only during dup"),
        }
    }

    /// The recovery cycles this member has seen, counting those seen by
    /// `&self` calls since its last `&mut self` call.
    fn seen_epoch_ref(&self) -> u64 {
        self.member
            .seen_epoch()
            .max(self.positioned.seen_epoch.load(Ordering::Acquire))
    }

    /// `ran` is the result of the operation, or `None` when it has not run
    /// because the member is behind its group.
    #[cold]
    #[inline(never)]
    pub(crate) fn perform_ref_slow<O: SharedOperation<C>>(
        &self,
        mut op: O,
        ran: Option<io::Result<O::Output>>,
        mut repointed: u64,
    ) -> io::Result<O::Output> {
        let info = OpInfo::new(O::KIND, op.len());
        let mut result = match ran {
            Some(result) => result,
            None => {
                if let Some(Next::Fail(e)) = self.settle_ref(info, None, false, &mut repointed)? {
                    return Err(e);
                }
                self.run_ref(&mut op)
            }
        };
        let mut retransmission = false;
        loop {
            let probe = DescriptorProbe(self.conn.descriptor());
            let classifier = match &self.group {
                Membership::Sole(cell) => sole_lock(cell).group.classifier(),
                Membership::Shared(shared) => shared.classifier(),
                Membership::Transition => unreachable!("only during dup"),
            };
            let cause =
                match classifier.classify(result, |out| op.is_eof(out), O::KIND, C::KIND, &probe) {
                    Classified::Done(out) => {
                        if !Self::observes_in_order::<O>() {
                            self.observe_ref(&op, &out);
                        }
                        return Ok(out);
                    }
                    Classified::Again => {
                        result = self.run_ref(&mut op);
                        continue;
                    }
                    Classified::Pass(e) => {
                        // The probe that told a death from the caller's error
                        // (an `EIO`: does the server answer?) looked at the
                        // descriptor as it is now; if another thread put a new
                        // connection under it since this call ran, the error
                        // came from the dead one: settled below as a failure
                        // there.
                        let now = {
                            let _settling = self.lock_view();
                            self.positioned.repointed.load(Ordering::Acquire)
                        };
                        if now == repointed {
                            return Err(e);
                        }
                        Cause::Error(e)
                    }
                    Classified::Failed(cause) => cause,
                };
            let Some(next) = self.settle_ref(info, Some(cause), retransmission, &mut repointed)?
            else {
                unreachable!("a failure is always settled")
            };
            match next {
                Next::Resend => {
                    result = self.run_ref(&mut op);
                    retransmission = true;
                }
                Next::Landed(n) => {
                    let out = O::output_for(n);
                    self.observe_ref(&op, &out);
                    return Ok(out);
                }
                Next::Fail(e) => return Err(e),
                Next::Eof => return Ok(O::output_for(0)),
            }
        }
    }

    fn lock_view(&self) -> std::sync::MutexGuard<'_, View<C>> {
        self.positioned
            .view
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Settles an operation of a `&self` call (`cause` its failure, or `None`
    /// to catch up with a recovery another member made), one call at a time,
    /// and puts a connection the member moved to under the cover's
    /// descriptor. A failure on a connection another thread has replaced
    /// since `repointed` is decided with what that recovery found (a
    /// sequential write may have landed, or its position may be lost);
    /// `None` when only catching up was asked and another thread did so.
    fn settle_ref(
        &self,
        info: OpInfo,
        cause: Option<Cause>,
        retransmission: bool,
        repointed: &mut u64,
    ) -> io::Result<Option<Next>> {
        let mut view = self.lock_view();
        let now = self.positioned.repointed.load(Ordering::Acquire);
        if now != *repointed {
            // The latest recovery's facts are about the connection before
            // the last repoint only.
            let on = view.before_last.filter(|_| now == *repointed + 1);
            let kept = view.unkept.is_none_or(|at| at <= *repointed);
            *repointed = now;
            return Ok(cause.map(|cause| self.decide_replaced(on, kept, info, cause)));
        }
        if view.unplaced.is_some() {
            return Err(unplaced());
        }
        let mut member = view.member.unwrap_or(self.member);
        let before = member.generation();
        if cause.is_none()
            && let Membership::Shared(shared) = &self.group
            && shared.epoch() == member.seen_epoch()
        {
            // Another thread caught up for this member already.
            return Ok(Some(Next::Resend));
        }
        // A socket read that returns data from now on answers nothing: it
        // may come from the connection about to be replaced.
        self.positioned.begun.fetch_add(1, Ordering::SeqCst);
        // The send under way, if any, is counted before the recovery looks
        // at the ledger; the next waits for the new connection.
        let _sending = (C::KIND == Kind::Socket).then(|| {
            self.positioned
                .serial
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
        });
        // The protocol moves a member to a new connection by replacing the
        // one it holds: here a duplicate of the cover's, whose replacement is
        // then put under the cover's own descriptor.
        let mut held = self.conn.try_dup()?;
        let mut settle = Settle {
            conn: &mut held,
            member: &mut member,
            retired: None,
        };
        let next = match &self.group {
            // Locked for each step only: the controls and the handle stay
            // within reach of other threads while the recovery runs.
            Membership::Sole(cell) => settle.settle(&mut &**cell, info, cause, retransmission),
            Membership::Shared(shared) => settle.settle(&mut &*shared, info, cause, retransmission),
            Membership::Transition => unreachable!("only during dup"),
        };
        let moved = settle.retired.take();
        // A replay keeps what it sent again unanswered.
        self.positioned
            .maybe_unanswered
            .store(true, Ordering::Release);
        // Whether the connection moved to is at the dead one's position, as
        // the latest recovery found: only then, and when it is the one that
        // recovery made, do writes through `&self` that failed go on.
        let kept = member.generation() == before + 1 && self.kept_position();
        view.member = Some(member);
        self.positioned
            .seen_epoch
            .store(member.seen_epoch(), Ordering::Release);
        let Some(old) = moved else {
            crate::background_close::close_later(held);
            return Ok(Some(next));
        };
        // The dead description is released by the background thread (`old`
        // holds it still), not on this call's path.
        crate::background_close::close_later(old);
        match self.conn.repoint(held) {
            Ok(()) => {
                view.before_last = Some(before);
                *repointed = self.positioned.repointed.fetch_add(1, Ordering::AcqRel) + 1;
                if !kept {
                    view.unkept = Some(*repointed);
                }
                Ok(Some(next))
            }
            Err(fresh) => {
                // Kept for the cover's next `&mut self` call, which moves to
                // it; this call and those through `&self` until then fail.
                view.unplaced = Some(fresh);
                Err(unplaced())
            }
        }
    }

    /// What becomes of an operation that failed with `cause` on a connection
    /// (of generation `on`, when known) that another thread's call replaced.
    /// `kept` says every recovery since kept the file position.
    fn decide_replaced(&self, on: Option<u64>, kept: bool, info: OpInfo, cause: Cause) -> Next {
        match &self.group {
            Membership::Sole(cell) => {
                let mut state = sole_lock(cell);
                Access::<C, H>::with(&mut &mut *state, |group, _| {
                    group.decide_replaced(on, kept, info, cause)
                })
            }
            Membership::Shared(shared) => Access::<C, H>::with(&mut &*shared, |group, _| {
                group.decide_replaced(on, kept, info, cause)
            }),
            Membership::Transition => unreachable!("only during dup"),
        }
    }

    /// Whether the group's latest recovery kept the file position.
    fn kept_position(&self) -> bool {
        match &self.group {
            Membership::Sole(cell) => sole_lock(cell).group.kept_position(),
            Membership::Shared(shared) => shared.lock().group.kept_position(),
            Membership::Transition => unreachable!("only during dup"),
        }
    }

    /// Tells the handle about a transfer, under the group's lock.
    fn observe_ref<O: Operation<C>>(&self, op: &O, out: &O::Output) {
        if !H::OBSERVES_TRANSFERS {
            return;
        }
        match &self.group {
            Membership::Sole(cell) => {
                if let Some(handle) = sole_lock_with_handle(cell).ext.handle.as_mut() {
                    op.observe(out, handle);
                }
            }
            Membership::Shared(shared) => {
                if let Some(handle) = shared.lock().ext.handle.as_mut() {
                    op.observe(out, handle);
                }
            }
            Membership::Transition => unreachable!("only during dup"),
        }
    }
}

/// Where a socket's call through `&self` counts its bytes (see
/// [`Cover::run_ref_socket`]).
struct RefTraffic<'a, C: Connection, H: Recoverable> {
    cover: &'a Cover<C, H>,
    /// The recoveries begun when the call began.
    begun: u64,
}

impl<'a, C: Connection, H: Recoverable> RefTraffic<'a, C, H> {
    fn new(cover: &'a Cover<C, H>) -> Self {
        let positioned = &cover.positioned;
        Self {
            cover,
            begun: positioned.begun.load(Ordering::SeqCst),
        }
    }
}

impl<C: Connection, H: Recoverable> Traffic<C> for RefTraffic<'_, C, H> {
    #[inline]
    fn read(&mut self, n: usize) {
        let positioned = &self.cover.positioned;
        let maybe = match &self.cover.group {
            Membership::Shared(shared) => shared.has_unanswered(),
            _ => positioned.maybe_unanswered.load(Ordering::Acquire),
        };
        if n == 0 || !maybe {
            return;
        }
        self.answered();
    }

    fn sent(&mut self, writer: ReplayWriter<C>, count: impl FnOnce(&mut Ledger)) {
        let positioned = &self.cover.positioned;
        self.cover.with_group(|group, ext| {
            count(group.ledger_mut());
            ext.replay_writer = Some(writer);
            positioned.maybe_unanswered.store(true, Ordering::Release);
        });
    }
}

impl<C: Connection, H: Recoverable> RefTraffic<'_, C, H> {
    /// The read answered what was sent, unless a recovery began since it
    /// started.
    fn answered(&self) {
        let positioned = &self.cover.positioned;
        self.cover.with_group(|group, _| {
            // Data read from a connection being replaced answers nothing
            // sent on the new one.
            if positioned.begun.load(Ordering::SeqCst) != self.begun {
                return;
            }
            group.ledger_mut().answered();
            positioned.maybe_unanswered.store(false, Ordering::Release);
        });
    }
}

/// The error of a `&self` call on a connection that a recovery replaced but
/// that cannot be put in place through `&self`.
fn unplaced() -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        "recovered, but this connection type cannot be put in place through &self (Connection::repoint): the cover's next call through &mut self moves to the new connection",
    )
}

#[cfg(test)]
mod tests {
    use std::fs::File;
    use std::io;
    use std::sync::atomic::Ordering;

    use crate::ops::ReadAtOp;
    use crate::{Builder, Cover};

    /// An error whose meaning the probe decides (`EIO`: does the server
    /// answer?), from a call that ran before another thread put a new
    /// connection under the descriptor, came from the old connection: the
    /// call runs again on the new one rather than passing it on.
    #[test]
    fn an_error_from_before_a_repoint_is_not_passed_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data");
        std::fs::write(&path, b"0123456789").unwrap();
        let cover: Cover<File> = Builder::new()
            .attach(File::open(&path).unwrap(), crate::reopen, ())
            .unwrap();
        let eio = || Some(Err(io::Error::from_raw_os_error(libc::EIO)));
        // Another thread repointed since this call read the count (0).
        cover.positioned.repointed.store(1, Ordering::Release);
        let mut buf = [0; 4];
        let op = ReadAtOp {
            buf: &mut buf,
            offset: 2,
        };
        assert_eq!(cover.perform_ref_slow(op, eio(), 0).unwrap(), 4);
        assert_eq!(&buf, b"2345");
        // A call that began after it passes the error on: the file answers,
        // so the `EIO` is the disk's.
        let op = ReadAtOp {
            buf: &mut buf,
            offset: 2,
        };
        let err = cover.perform_ref_slow(op, eio(), 1).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EIO));
        assert_eq!(cover.control().stats().recoveries, 0);
    }
}
