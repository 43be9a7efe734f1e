//! The async covered connection and its poll loop.

use std::fmt;
use std::io;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Instant;

use ha_cover_engine::{Classified, Failed, Next, OpInfo, OpKind, Role, Shared};

use super::connection::AsyncConnection;
use super::group::{AsyncExt, AsyncGroup, AsyncMember};
use super::ops::AsyncOperation;
use super::recover::{self, in_recovery};
use crate::connection::Kind;
use crate::control::Control;
use crate::handle::Recoverable;
use crate::sys::DescriptorProbe;

/// An async connection that recovers when the server behind it dies, and
/// retransmits the operation that failed: the tokio form of [`Cover`](crate::Cover),
/// with the same semantics.
///
/// It implements tokio's `AsyncRead`, `AsyncWrite` and (for files) `AsyncSeek`,
/// so `tokio::io::copy`, `BufReader`, codecs and the `*Ext` traits recover
/// without change. A recovery runs as a task of its own: a future dropped in the
/// middle of one (a timeout, a `select!`) leaves it running, and the next
/// operation, on this cover or a [dup](Self::dup), joins it or starts another.
///
/// The operation whose future was dropped is abandoned, not sent again: as with
/// any dropped write, whether its bytes landed is then unknown to its caller
/// (the server may have written them before it died). The next call is a new
/// one, even from the same buffer: only a call polled again with the same
/// arguments and bytes is taken for the failed one, so that what the abandoned
/// call may have written is never credited to a different call.
pub struct AsyncCover<C: AsyncConnection, H: Recoverable = ()> {
    pub(crate) conn: C,
    pub(crate) member: AsyncMember<C>,
    pub(crate) group: Arc<AsyncGroup<C, H>>,
    /// The target of `AsyncSeek::start_seek`, until `poll_complete` reaches it
    /// or another operation abandons it.
    pub(crate) pending_seek: Option<std::io::SeekFrom>,
}

impl<C: AsyncConnection, H: Recoverable> AsyncCover<C, H> {
    pub(crate) fn assemble(conn: C, group: ha_cover_engine::Group, ext: AsyncExt<C, H>) -> Self {
        let appends = group.is_append().then(Arc::default);
        let member = AsyncMember::new(group.member(), appends);
        Self {
            conn,
            member,
            group: Arc::new(Shared::new(group, ext)),
            pending_seek: None,
        }
    }

    /// Whether nothing is pending for this member and nothing happened to
    /// its group since its last operation: the operation can just run.
    #[inline(always)]
    pub(crate) fn is_settled(&self) -> bool {
        self.member.quiet && self.group.epoch() == self.member.view.seen_epoch()
    }

    /// Runs one operation: the inner poll alone when nothing fails.
    #[inline(always)]
    pub(crate) fn poll_op<O: AsyncOperation<C>>(
        &mut self,
        cx: &mut Context<'_>,
        op: &mut O,
    ) -> Poll<io::Result<O::Output>> {
        if O::KIND != OpKind::Seek {
            // A seek whose future was dropped is abandoned by the next
            // operation, as any dropped call: the next seek's future, which
            // first completes a seek in progress, must not make it again.
            self.pending_seek = None;
        }
        if !self.is_settled() {
            return self.poll_op_cold(cx, op, None);
        }
        match ready!(op.poll_run(&mut self.conn, cx)) {
            Ok(out) if self.plain_success(op, &out) => {
                self.observe(op, &out);
                if C::KIND == Kind::Socket {
                    op.record(&out, &self.group);
                }
                Poll::Ready(Ok(out))
            }
            result => self.poll_op_cold(cx, op, Some(result)),
        }
    }

    /// A success the fast path returns as it is: not a socket's end-of-file
    /// (it may be the server's death), not a seek a recovery raced (it may
    /// have moved the connection that recovery replaced).
    #[inline(always)]
    fn plain_success<O: AsyncOperation<C>>(&self, op: &O, out: &O::Output) -> bool {
        let eof = C::KIND == Kind::Socket && op.is_eof(out);
        let raced_seek =
            O::KIND == OpKind::Seek && self.group.epoch() != self.member.view.seen_epoch();
        !eof && !raced_seek
    }

    /// Everything else: a result that is not plain success, a recovery to join
    /// or catch up with.
    #[cold]
    #[inline(never)]
    pub(crate) fn poll_op_cold<O: AsyncOperation<C>>(
        &mut self,
        cx: &mut Context<'_>,
        op: &mut O,
        result: Option<io::Result<O::Output>>,
    ) -> Poll<io::Result<O::Output>> {
        if O::KIND.writes()
            && self.member.append_turn.is_none()
            && let Some(slot) = &self.member.appends
        {
            // Appends of the group go one at a time (see `append_slot.rs`),
            // positioned writes too (Linux appends them to an O_APPEND
            // file); an append cover's operations never take the path with
            // no failure, so this write has not run yet.
            debug_assert!(result.is_none());
            match slot.poll_take(cx) {
                Poll::Ready(turn) => self.member.append_turn = Some(turn),
                // The group's own recovery function appending through a
                // member: its write fails on the dead connection and is not
                // recovered again; waiting for the append whose recovery
                // runs it would never end.
                Poll::Pending if recover::recovering(Arc::as_ptr(&self.group) as usize) => {}
                Poll::Pending => return Poll::Pending,
            }
        }
        self.member.quiet = false;
        let poll = self.poll_op_unsettled(cx, op, result);
        if O::KIND == OpKind::WriteAt
            && self.member.appends.is_some()
            && matches!(poll, Poll::Ready(Ok(_)))
        {
            // A pwrite appended leaves the position behind the end: no
            // longer where the last append ended, as after a seek.
            self.group.lock().group.note_seek();
        }
        if poll.is_ready() {
            self.member.append_turn = None;
        }
        self.member.quiet = !self.member.unsettled();
        poll
    }

    fn poll_op_unsettled<O: AsyncOperation<C>>(
        &mut self,
        cx: &mut Context<'_>,
        op: &mut O,
        mut result: Option<io::Result<O::Output>>,
    ) -> Poll<io::Result<O::Output>> {
        let info = OpInfo::new(O::KIND, op.len());
        loop {
            let result = match result.take() {
                Some(result) => result,
                None => {
                    if self.member.failed.is_some() {
                        self.member.keep_failure_of(op.identity());
                    }
                    if self.member.waiting
                        || self.member.failed.is_some()
                        || self.group.epoch() != self.member.view.seen_epoch()
                    {
                        match ready!(self.poll_settle(cx, info)) {
                            Next::Resend => {}
                            Next::Landed(n) => {
                                let out = O::output_for(n);
                                self.observe(op, &out);
                                return Poll::Ready(Ok(out));
                            }
                            Next::Fail(e) => return Poll::Ready(Err(e)),
                            Next::Eof => return Poll::Ready(Ok(O::output_for(0))),
                        }
                    }
                    let result = ready!(op.poll_run(&mut self.conn, cx));
                    if let Some(dead) = self.member.retired.take() {
                        crate::background_close::close_later(dead);
                    }
                    result
                }
            };
            let probe = DescriptorProbe(self.conn.descriptor());
            let classified = self.group.classifier().classify(
                result,
                |out| op.is_eof(out),
                O::KIND,
                C::KIND,
                &probe,
            );
            match classified {
                Classified::Done(out) => {
                    if let Some(again) = op.seek_again(&out)
                        && self.group.epoch() != self.member.view.seen_epoch()
                    {
                        *op = again;
                        continue;
                    }
                    self.member.resent = None;
                    self.observe(op, &out);
                    if C::KIND == Kind::Socket {
                        op.record(&out, &self.group);
                    }
                    return Poll::Ready(Ok(out));
                }
                Classified::Again => {}
                Classified::Pass(e) => {
                    self.member.resent = None;
                    return Poll::Ready(Err(e));
                }
                Classified::Failed(cause) => {
                    let id = op.identity();
                    let retransmission = self.member.resent.take() == Some(id);
                    self.member.failed = Some((cause, id, retransmission));
                }
            }
        }
    }

    #[inline]
    fn observe<O: AsyncOperation<C>>(&self, op: &O, out: &O::Output) {
        if H::OBSERVES_TRANSFERS
            && let Some(handle) = self.group.lock().ext.handle.as_mut()
        {
            op.observe(out, handle);
        }
    }

    /// The cold path: report a failure to the group, wait for its recovery,
    /// move to its connection, and decide about the operation.
    #[cold]
    fn poll_settle(&mut self, cx: &mut Context<'_>, info: OpInfo) -> Poll<Next> {
        loop {
            if self.member.waiting {
                ready!(self.group.poll_ended(cx, self.member.view.seen_epoch()));
                self.member.waiting = false;
            }
            let group = Arc::clone(&self.group);
            let descriptor = self
                .conn
                .descriptor()
                .map(|fd| std::os::fd::AsRawFd::as_raw_fd(&fd));
            let mut guard = group.lock();
            let state = &mut *guard;
            let failed = self
                .member
                .failed
                .as_mut()
                .map(|(cause, _, retransmission)| Failed {
                    op: info,
                    cause,
                    // Only the first report of a failure can go on with the last.
                    retransmission: std::mem::take(retransmission),
                    inside_recovery: in_recovery(),
                    descriptor,
                });
            match state
                .group
                .settle(&mut self.member.view, failed, Instant::now())
            {
                Role::Run => return Poll::Ready(Next::Resend),
                Role::Move => {
                    let own = match state.ext.latest.take(C::try_dup) {
                        Ok(own) => own,
                        Err(e) => return Poll::Ready(Next::Fail(e)),
                    };
                    let mut retired = std::mem::replace(&mut self.conn, own);
                    // A handle that follows transfers put the group where the
                    // bytes delivered end: those fetched and not delivered
                    // are read again from there, not carried over.
                    if !H::OBSERVES_TRANSFERS {
                        self.conn.carry_over(&mut retired);
                    }
                    self.member.retired = Some(retired);
                    let failed = self.member.failed.take();
                    let id = failed.as_ref().map(|(_, id, _)| *id);
                    let next = state.group.decide(
                        &mut self.member.view,
                        info,
                        failed.map(|(cause, _, _)| cause),
                    );
                    if matches!(next, Next::Resend) {
                        self.member.resent = id;
                    }
                    return Poll::Ready(next);
                }
                Role::Wait => self.member.waiting = true,
                Role::Recover(recovery) => {
                    drop(guard);
                    let (cause, _, _) = self
                        .member
                        .failed
                        .as_ref()
                        .expect("only a failure recovers");
                    let runtime = tokio::runtime::Handle::try_current();
                    if let (Ok(runtime), Ok(dead)) = (runtime, self.conn.try_dup()) {
                        recover::spawn(&runtime, Arc::clone(&group), recovery, cause.copy(), dead);
                    } else {
                        // No runtime to run it on (or no descriptor to give
                        // it): the recovery ends here, as cancelled.
                        let mut state = group.lock();
                        recovery.abandon(&mut state.group, Instant::now());
                        let reason = state.group.stats().last_give_up.clone();
                        let (cause, _, _) = self.member.failed.take().expect("checked");
                        self.member.view = state.group.member();
                        return Poll::Ready(state.group.unrecovered(cause, reason));
                    }
                    self.member.waiting = true;
                }
                Role::Unrecovered(reason) => {
                    let (cause, _, _) = self.member.failed.take().expect("only a failure");
                    return Poll::Ready(state.group.unrecovered(cause, reason));
                }
            }
        }
    }

    /// Another cover on the same connection (`ha_dup`): one group, one handle,
    /// one recovery for every member, across tasks. On a file opened
    /// `O_APPEND` the members' writes go one at a time: what became of an
    /// append that met a death is told by the file's growth, which must be
    /// that append's alone. A write whose future was dropped may still be
    /// under way, and holds the others back until its member's next
    /// operation returns or the member is dropped.
    pub fn dup(&self) -> io::Result<Self> {
        let conn = self.conn.try_dup()?;
        let mut state = self.group.lock();
        if self.member.view.generation() != state.group.generation() && state.ext.latest.is_some() {
            state.ext.latest.one_more_behind();
        }
        drop(state);
        Ok(Self {
            conn,
            member: AsyncMember::new(self.member.view, self.member.appends.clone()),
            group: Arc::clone(&self.group),
            pending_seek: None,
        })
    }

    /// Calls `f` with the client's handle (shared by all dups) once no
    /// recovery function of the group has it, and returns what it returns:
    /// the async form of [`Cover::with_handle`](crate::Cover::with_handle).
    /// `f` runs under the group's lock, and does not call into the cover.
    ///
    /// # Panics
    /// If awaited inside the recovery task of this cover's own group, whose
    /// recovery function has the handle.
    pub async fn with_handle<R>(&self, f: impl FnOnce(&mut H) -> R) -> R {
        let mut f = Some(f);
        loop {
            let seen = {
                let mut state = self.group.lock();
                if let Some(handle) = state.ext.handle.as_mut() {
                    let f = f.take().expect("called once");
                    return f(handle);
                }
                assert!(
                    !recover::recovering(Arc::as_ptr(&self.group) as usize),
                    "a cover's handle was asked for inside the recovery function of its own group, which has it; use the handle the recovery function is given"
                );
                state.group.epoch()
            };
            std::future::poll_fn(|cx| self.group.poll_ended(cx, seen)).await;
        }
    }

    /// The recovery controls of the connection and its dups: suspend, enable,
    /// limits, counters, stats.
    pub fn control(&self) -> Control<'_> {
        Control::new(&*self.group)
    }

    /// The connection under the cover.
    pub fn get_ref(&self) -> &C {
        &self.conn
    }

    /// Replaces the recovery function of the whole group, from the next
    /// attempt on.
    pub fn set_recovery(&self, recovery: impl super::recover::AsyncRecover<C, H>) {
        self.group.lock().ext.recovery = Some(Box::new(recovery));
    }

    /// Stops covering: returns the connection as it is now.
    pub fn into_inner(self) -> C {
        self.into_parts().0
    }

    /// Stops covering: returns the connection, and the handle when this was the
    /// group's last member (a recovery task still running holds the group, and
    /// the handle stays with it).
    pub fn into_parts(self) -> (C, Option<H>) {
        {
            let mut state = self.group.lock();
            let behind = self.member.view.generation() != state.group.generation();
            state.ext.latest.member_left(behind);
        }
        let handle = Arc::into_inner(self.group)
            .and_then(Shared::into_inner)
            .and_then(|inner| inner.ext.handle);
        (self.conn, handle)
    }
}

impl<C: AsyncConnection + fmt::Debug, H: Recoverable> fmt::Debug for AsyncCover<C, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let connection = self.group.lock().group.connection().to_string();
        f.debug_struct("AsyncCover")
            .field("connection", &format_args!("{connection}"))
            .field("conn", &self.conn)
            .field("generation", &self.member.view.generation())
            .finish_non_exhaustive()
    }
}
