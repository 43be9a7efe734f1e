//! Positioned I/O through `&self` (std's `FileExt`): threads that share one
//! cover, in an `Arc`, read and write at offsets without a dup each.
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

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use ha_cover_engine::{Classified, Member, Next, OpInfo};

use crate::connection::Connection;
use crate::cover::Cover;
use crate::driver::Settle;
use crate::group::{Membership, sole_lock};
use crate::handle::Recoverable;
use crate::ops::Operation;
use crate::sys::DescriptorProbe;

/// What `&self` calls keep of a cover between them.
#[derive(Debug, Default)]
pub(crate) struct Positioned {
    /// How many times a `&self` call put a new connection under the cover's
    /// descriptor: read before each call, so that a call that failed on the
    /// connection another thread has replaced since runs again instead of
    /// reporting a death that was already recovered.
    repointed: AtomicU64,
    /// The member's view after recoveries made through `&self`, until a
    /// `&mut self` call takes it back; the lock also makes one `&self` call
    /// at a time settle a failure.
    member: Mutex<Option<Member>>,
}

impl Positioned {
    /// The view `&self` calls left, for the cover's own member (called by
    /// the `&mut self` paths that leave the one with no failure).
    pub(crate) fn take_member(&mut self) -> Option<Member> {
        self.member
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }
}

/// An operation that runs on a shared connection (`pread`, `pwrite`).
pub(crate) trait SharedOperation<C>: Operation<C> {
    fn run_shared(&mut self, conn: &C) -> io::Result<Self::Output>;
}

impl<C: Connection, H: Recoverable> Cover<C, H> {
    /// Runs a positioned operation through `&self`: the system call alone
    /// when nothing fails.
    #[inline]
    pub(crate) fn perform_ref<O: SharedOperation<C>>(&self, mut op: O) -> io::Result<O::Output> {
        let repointed = self.positioned.repointed.load(Ordering::Acquire);
        let result = op.run_shared(&self.conn);
        match &result {
            Ok(out) if !H::OBSERVES_TRANSFERS => {
                let _ = out;
                result
            }
            _ => self.perform_ref_slow(op, result, repointed),
        }
    }

    #[cold]
    #[inline(never)]
    fn perform_ref_slow<O: SharedOperation<C>>(
        &self,
        mut op: O,
        mut result: io::Result<O::Output>,
        mut repointed: u64,
    ) -> io::Result<O::Output> {
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
                        self.observe_ref(&op, &out);
                        return Ok(out);
                    }
                    Classified::Again => {
                        result = op.run_shared(&self.conn);
                        continue;
                    }
                    Classified::Pass(e) => return Err(e),
                    Classified::Failed(cause) => cause,
                };
            let mut view = self
                .positioned
                .member
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let now = self.positioned.repointed.load(Ordering::Acquire);
            if now != repointed {
                // Another thread put a new connection under the descriptor
                // since this call began: run it there.
                drop(view);
                repointed = now;
                result = op.run_shared(&self.conn);
                continue;
            }
            let mut member = view.unwrap_or(self.member);
            // The protocol moves a member to a new connection by replacing
            // the one it holds: here a duplicate of the cover's, whose
            // replacement is then put under the cover's own descriptor.
            let mut held = self.conn.try_dup()?;
            let mut settle = Settle {
                conn: &mut held,
                member: &mut member,
                retired: None,
            };
            let info = OpInfo::new(O::KIND, op.len());
            let next = match &self.group {
                Membership::Sole(cell) => {
                    let mut state = sole_lock(cell);
                    settle.settle(&mut &mut *state, info, Some(cause), retransmission)
                }
                Membership::Shared(shared) => {
                    settle.settle(&mut &*shared, info, Some(cause), retransmission)
                }
                Membership::Transition => unreachable!("only during dup"),
            };
            let moved = settle.retired.take();
            *view = Some(member);
            let mut unplaced = None;
            if let Some(old) = moved {
                // The dead description is released by the background thread
                // (`old` holds it still), not on this call's path.
                match self.conn.repoint(held) {
                    Ok(()) => {
                        repointed = self.positioned.repointed.fetch_add(1, Ordering::AcqRel) + 1;
                    }
                    Err(fresh) => unplaced = Some(fresh),
                }
                crate::background_close::close_later(old);
            } else {
                crate::background_close::close_later(held);
            }
            drop(view);
            if let Some(fresh) = unplaced {
                // The connection cannot be put in place through `&self`: the
                // group has it (the next `&mut self` call moves to it), and
                // this call gets its failure.
                crate::background_close::close_later(fresh);
                return Err(io::Error::new(
                    io::ErrorKind::Unsupported,
                    "recovered, but this connection type cannot be replaced through &self (Connection::repoint); call through &mut self",
                ));
            }
            match next {
                Next::Resend => {
                    result = op.run_shared(&self.conn);
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

    /// Tells the handle about a transfer, under the group's lock.
    fn observe_ref<O: Operation<C>>(&self, op: &O, out: &O::Output) {
        if !H::OBSERVES_TRANSFERS {
            return;
        }
        match &self.group {
            Membership::Sole(cell) => {
                if let Some(handle) = sole_lock(cell).ext.handle.as_mut() {
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
