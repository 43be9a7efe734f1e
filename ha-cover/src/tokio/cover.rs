//! The async covered connection and its poll loop.

use std::fmt;
use std::io;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use super::connection::AsyncConnection;
use super::group::{AsyncGroup, AsyncMember, AsyncState};
use super::ops::{AsyncOperation, OpIdentity};
use super::recover::{self, copy_cause, in_recovery};
use crate::connection::Kind;
use crate::driver::Next;
use crate::error::{Indeterminate, RecoveryError, Unrecovered};
use crate::event::{Event, Stats, emit};
use crate::group::Classified;
use crate::handle::Recoverable;
use crate::origin::Origin;
use crate::policy::WritePolicy;
use crate::recovery::Cause;
use crate::retransmit::{FileFacts, OpInfo, OpKind, Resume, after_recovery};
use crate::sys;

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
    /// The target of `AsyncSeek::start_seek`, until `poll_complete` reaches it.
    pub(crate) pending_seek: Option<std::io::SeekFrom>,
}

impl<C: AsyncConnection, H: Recoverable> AsyncCover<C, H> {
    pub(crate) fn assemble(
        conn: C,
        state: AsyncState<C, H>,
        member: AsyncMember<C>,
        classifier: crate::group::Classifier,
    ) -> Self {
        Self {
            conn,
            member,
            group: AsyncGroup::new(state, classifier),
            pending_seek: None,
        }
    }

    /// Runs one operation: the inner poll alone when nothing fails.
    #[inline]
    pub(crate) fn poll_op<O: AsyncOperation<C>>(
        &mut self,
        cx: &mut Context<'_>,
        op: &mut O,
    ) -> Poll<io::Result<O::Output>> {
        if self.member.unsettled() || self.group.epoch() != self.member.seen_epoch {
            return self.poll_op_cold(cx, op, None);
        }
        match ready!(op.poll_run(&mut self.conn, cx)) {
            Ok(out) if !(C::KIND == Kind::Socket && op.is_eof(&out)) => {
                self.observe(op, &out);
                if C::KIND == Kind::Socket {
                    op.record(&out, &mut self.member);
                }
                Poll::Ready(Ok(out))
            }
            result => self.poll_op_cold(cx, op, Some(result)),
        }
    }

    /// Everything else: a result that is not plain success, a recovery to join
    /// or catch up with, bytes to replay.
    #[cold]
    #[inline(never)]
    fn poll_op_cold<O: AsyncOperation<C>>(
        &mut self,
        cx: &mut Context<'_>,
        op: &mut O,
        mut result: Option<io::Result<O::Output>>,
    ) -> Poll<io::Result<O::Output>> {
        loop {
            let result = match result.take() {
                Some(result) => result,
                None => {
                    if self.member.waiting.is_some()
                        || self.member.replaying.is_some()
                        || self.group.epoch() != self.member.seen_epoch
                    {
                        let id = self.member.failed.as_ref().map(|_| op.identity());
                        let info = OpInfo {
                            kind: O::KIND,
                            len: op.len(),
                            attempted: self.member.is_retransmission(id),
                        };
                        match ready!(self.poll_settle(cx, info, id)) {
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
                        crate::reaper::close_later(dead);
                    }
                    result
                }
            };
            let classified = self.group.classifier.classify_result(
                result,
                |out| C::KIND == Kind::Socket && op.is_eof(out),
                O::KIND,
                C::KIND,
                self.conn.descriptor(),
            );
            match classified {
                Classified::Done(out) => {
                    self.observe(op, &out);
                    if C::KIND == Kind::Socket {
                        op.record(&out, &mut self.member);
                    }
                    return Poll::Ready(Ok(out));
                }
                Classified::Again => {}
                Classified::Pass(e) => return Poll::Ready(Err(e)),
                Classified::Failed(cause) => {
                    if let Some(next) = self.begin_failure(cause, op.identity()) {
                        return Poll::Ready(match next {
                            Next::Fail(e) => Err(e),
                            _ => Ok(O::output_for(0)),
                        });
                    }
                }
            }
        }
    }

    #[inline]
    fn observe<O: AsyncOperation<C>>(&self, op: &O, out: &O::Output) {
        if H::OBSERVES_TRANSFERS
            && let Some(handle) = self.group.lock().handle.as_mut()
        {
            op.observe(out, handle);
        }
    }

    /// An operation failed: join the group's recovery, or start one. Returns
    /// what to do at once when recovering is not possible.
    #[cold]
    fn begin_failure(&mut self, cause: Cause, id: OpIdentity) -> Option<Next> {
        if in_recovery() {
            // A failure inside a recovery is the recovery function's to handle.
            return Some(give_up_result(cause, None, false));
        }
        let group = Arc::clone(&self.group);
        let mut state = group.lock();
        if state.epoch == self.member.seen_epoch && !state.running {
            let dead = match self.conn.try_dup() {
                Ok(dead) => dead,
                Err(_) => return Some(give_up_result(cause, None, false)),
            };
            if let Err(e) = recover::spawn(Arc::clone(&group), copy_cause(&cause), dead) {
                let _ = e;
                return Some(give_up_result(cause, None, false));
            }
            state.running = true;
        }
        drop(state);
        self.member.failed = Some((cause, id));
        let mut ended = group.ended.subscribe();
        let seen = self.member.seen_epoch;
        self.member.waiting = Some(Box::pin(async move {
            while *ended.borrow_and_update() == seen {
                if ended.changed().await.is_err() {
                    return;
                }
            }
        }));
        None
    }

    /// The cold path: wait for the group's recovery, move to its connection,
    /// send again what the policy says, and decide about the operation.
    #[cold]
    fn poll_settle(
        &mut self,
        cx: &mut Context<'_>,
        info: OpInfo,
        id: Option<OpIdentity>,
    ) -> Poll<Next> {
        loop {
            if let Some(waiting) = &mut self.member.waiting {
                ready!(waiting.as_mut().poll(cx));
                self.member.waiting = None;
            }
            if let Some((bytes, sent)) = &mut self.member.replaying {
                while *sent < bytes.len() {
                    match ready!(self.conn.poll_write(cx, &bytes[*sent..])) {
                        Ok(0) => {
                            self.member.replaying = None;
                            return Poll::Ready(Next::Fail(io::ErrorKind::WriteZero.into()));
                        }
                        Ok(n) => *sent += n,
                        Err(e) => {
                            self.member.replaying = None;
                            let classified = self.group.classifier.classify_result(
                                Err::<(), _>(e),
                                |_| false,
                                OpKind::Write,
                                C::KIND,
                                self.conn.descriptor(),
                            );
                            match classified {
                                Classified::Failed(cause) => {
                                    let id = id.unwrap_or(OpIdentity::of(info.kind));
                                    if let Some(next) = self.begin_failure(cause, id) {
                                        return Poll::Ready(next);
                                    }
                                    break;
                                }
                                Classified::Pass(e) => return Poll::Ready(Next::Fail(e)),
                                Classified::Again | Classified::Done(()) => break,
                            }
                        }
                    }
                }
                if self.member.waiting.is_some() {
                    continue;
                }
                self.member.replaying = None;
                return Poll::Ready(Next::Resend);
            }
            if self.group.epoch() == self.member.seen_epoch {
                return Poll::Ready(Next::Resend);
            }
            let next = self.catch_up(info);
            if self.member.replaying.is_some() {
                continue;
            }
            return Poll::Ready(next);
        }
    }

    /// Moves this member to the connection the group's latest recovery made, or,
    /// when that recovery gave up, ends the failed operation with its error.
    fn catch_up(&mut self, info: OpInfo) -> Next {
        let group = Arc::clone(&self.group);
        let mut state = group.lock();
        let state = &mut *state;
        self.member.seen_epoch = state.epoch;
        let attempted = self.member.failed.is_some();
        if state.generation == self.member.generation || state.latest.is_none() {
            return match self.member.failed.take() {
                Some((cause, _)) => give_up_result(
                    cause,
                    state.stats.last_give_up.clone(),
                    state.policy.wrap_errors,
                ),
                None => Next::Resend,
            };
        }
        let latest = state.latest.as_ref().expect("checked");
        let mut facts = FileFacts {
            position_kept: state.position_kept,
            append: None,
        };
        if C::KIND == Kind::File && info.kind == OpKind::Write && state.origin.is_append() {
            let before = self.conn.descriptor().and_then(|fd| sys::position(fd).ok());
            let size = latest
                .descriptor()
                .and_then(|fd| sys::inode_and_size(fd).ok())
                .map(|(_, s)| s);
            facts.append = before.zip(size);
        }
        let own = match latest.try_dup() {
            Ok(own) => own,
            Err(e) => return Next::Fail(e),
        };
        self.member.retired = Some(std::mem::replace(&mut self.conn, own));
        self.member.generation = state.generation;
        crate::group::one_member_moved(&mut state.behind, &mut state.latest);
        let errno = self
            .member
            .failed
            .take()
            .and_then(|(cause, _)| cause.errno());
        let info = OpInfo { attempted, ..info };
        match after_recovery(
            C::KIND,
            info,
            state.policy.write_policy,
            &self.member.ledger,
            facts,
        ) {
            Resume::Resend => {
                if state.policy.write_policy == WritePolicy::Always && C::KIND == Kind::Socket {
                    self.member.ledger.answered();
                }
                Next::Resend
            }
            Resume::ReplayThenResend => {
                let bytes = self.member.ledger.replayable().unwrap_or_default().to_vec();
                self.member.replaying = Some((bytes, 0));
                Next::Resend
            }
            Resume::Landed(n) => Next::Landed(n),
            Resume::Indeterminate(unanswered) => {
                self.member.ledger.answered();
                state.stats.indeterminate += 1;
                emit(state.sink.as_ref(), Event::Indeterminate { unanswered });
                Next::Fail(io::Error::other(Indeterminate { unanswered, errno }))
            }
        }
    }

    /// Another cover on the same connection (`ha_dup`): one group, one handle,
    /// one recovery for every member, across tasks.
    pub fn dup(&self) -> io::Result<Self> {
        let conn = self.conn.try_dup()?;
        let mut state = self.group.lock();
        state.members += 1;
        if self.member.generation != state.generation && state.latest.is_some() {
            state.behind += 1;
        }
        drop(state);
        Ok(Self {
            conn,
            member: self.member.fresh_like(),
            group: Arc::clone(&self.group),
            pending_seek: None,
        })
    }

    /// Calls `f` with the client's handle; `None` while a recovery is using it.
    pub fn with_handle<R>(&self, f: impl FnOnce(&H) -> R) -> Option<R> {
        self.group.lock().handle.as_ref().map(f)
    }

    /// Calls `f` with the client's handle, mutably; `None` while a recovery is
    /// using it.
    pub fn with_handle_mut<R>(&self, f: impl FnOnce(&mut H) -> R) -> Option<R> {
        self.group.lock().handle.as_mut().map(f)
    }

    /// What recovery has done on this connection group.
    pub fn stats(&self) -> Stats {
        self.group.lock().stats.clone()
    }

    /// How the connection was opened.
    pub fn origin(&self) -> Origin {
        self.group.lock().origin.clone()
    }

    /// How many times the group's connection has been replaced.
    pub fn generation(&self) -> u64 {
        self.group.lock().generation
    }

    /// The connection under the cover.
    pub fn get_ref(&self) -> &C {
        &self.conn
    }

    /// Replaces the recovery function of the whole group, from the next
    /// recovery on (a recovery running keeps its function).
    pub fn set_recovery(&self, recovery: impl super::recover::AsyncRecover<C, H>) {
        self.group.lock().recovery = Some(Box::new(recovery));
    }

    /// Suspends recovery: failures are returned as they come.
    pub fn suspend(&self) {
        self.group.lock().counters.suspended = true;
    }

    /// Enables recovery again.
    pub fn enable(&self) {
        self.group.lock().counters.suspended = false;
    }

    /// Whether recovery is suspended.
    pub fn is_suspended(&self) -> bool {
        self.group.lock().counters.suspended
    }

    /// Sets the most attempts one failure may use; `None` is unlimited.
    pub fn set_attempt_limit(&self, limit: Option<u32>) {
        self.group.lock().policy.attempts = limit;
    }

    /// Sets the most recoveries the group may make in all; `None` is unlimited.
    pub fn set_total_limit(&self, limit: Option<u32>) {
        self.group.lock().policy.total = limit;
    }

    /// Forgets the attempts used on the current failure.
    pub fn reset_attempts(&self) {
        self.group.lock().counters.attempts_used = 0;
    }

    /// Forgets the recoveries counted against the total limit.
    pub fn reset_total(&self) {
        self.group.lock().counters.recoveries_used = 0;
    }

    /// Stops covering: returns the connection as it is now.
    pub fn into_inner(self) -> C {
        self.conn
    }

    /// Stops covering: returns the connection, and the handle when this was the
    /// group's last member (a recovery task still running holds the group, and
    /// the handle stays with it).
    pub fn into_parts(self) -> (C, Option<H>) {
        let handle = Arc::into_inner(self.group).and_then(|group| {
            group
                .state
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .handle
        });
        (self.conn, handle)
    }
}

/// The failed operation's own result, as tokio would have returned it.
fn give_up_result(cause: Cause, reason: Option<Arc<RecoveryError>>, wrap: bool) -> Next {
    match cause {
        Cause::Eof => Next::Eof,
        Cause::Error(original) => match reason {
            Some(reason) if wrap => Next::Fail(io::Error::new(
                original.kind(),
                Unrecovered { original, reason },
            )),
            _ => Next::Fail(original),
        },
    }
}

impl<C: AsyncConnection + fmt::Debug, H: Recoverable> fmt::Debug for AsyncCover<C, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncCover")
            .field("conn", &self.conn)
            .field("generation", &self.member.generation)
            .finish_non_exhaustive()
    }
}
