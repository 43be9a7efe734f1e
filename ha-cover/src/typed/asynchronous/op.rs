//! The future an async typed cover's operation returns.

use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::asynchronous::AsyncCover;

use super::declaration::AsyncDeclaration;

/// The cover of an async declaration.
pub(super) type AsyncCoverOf<D> =
    AsyncCover<<D as AsyncDeclaration>::Connection, <D as AsyncDeclaration>::Handle>;

/// How an operation is polled: a plain function, chosen where the
/// declaration's capability was checked, so the future itself needs no bound.
pub(super) type PollFn<D, A, T> =
    fn(&mut AsyncCoverOf<D>, &mut A, &mut Context<'_>) -> Poll<io::Result<T>>;

/// One operation of an [`AsyncTypedCover`](super::AsyncTypedCover) (`read`,
/// `write_all`, `seek`, `read_at`...), as a future: `A` is what it carries
/// (its buffer, its progress), `T` what it returns. Dropping it abandons the
/// operation as dropping any tokio I/O future does; a recovery it started goes
/// on.
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct AsyncOp<'a, D: AsyncDeclaration, A, T> {
    cover: &'a mut AsyncCoverOf<D>,
    args: A,
    poll: PollFn<D, A, T>,
}

impl<'a, D: AsyncDeclaration, A, T> AsyncOp<'a, D, A, T> {
    pub(super) fn new(cover: &'a mut AsyncCoverOf<D>, args: A, poll: PollFn<D, A, T>) -> Self {
        Self { cover, args, poll }
    }
}

impl<D: AsyncDeclaration, A: Unpin, T> Future for AsyncOp<'_, D, A, T> {
    type Output = io::Result<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let this = self.get_mut();
        (this.poll)(this.cover, &mut this.args, cx)
    }
}

impl<D: AsyncDeclaration, A, T> fmt::Debug for AsyncOp<'_, D, A, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncOp")
            .field("declaration", &D::NAME)
            .finish_non_exhaustive()
    }
}
