//! The fault-injection connection for async covers.

use std::io::{self, SeekFrom};
use std::os::fd::BorrowedFd;
use std::path::Path;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::ReadBuf;

use super::{Death, Faulty, Gate};
use crate::asynchronous::{
    AsyncConnection, AsyncFileConnection, AsyncFileOps, AsyncSeekConnection, AsyncSocketConnection,
};
use crate::connection::{Kind, Peer};
use crate::origin::Origin;
use crate::sys;

/// The plan's verdict on an async operation that is still pending: kept so the
/// operation counts once however many times it is polled.
#[derive(Debug, Clone, Copy)]
pub(super) enum InFlight {
    Run,
    Short(usize),
    ThenDie(i32, Option<u64>),
}

impl<C: AsyncConnection> Faulty<C> {
    fn poll_gated<T>(
        &mut self,
        cx: &mut Context<'_>,
        eof: impl FnOnce() -> io::Result<T>,
        op: impl FnOnce(&mut C, &mut Context<'_>, InFlight) -> Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        let gate = match self.in_flight.take() {
            Some(gate) => gate,
            None => match self.gate() {
                Gate::Fail(e) => return Poll::Ready(Err(e)),
                Gate::Eof => return Poll::Ready(eof()),
                Gate::Run => InFlight::Run,
                Gate::Short(n) => InFlight::Short(n),
                Gate::RunThenDie(errno) => InFlight::ThenDie(
                    errno,
                    AsyncConnection::descriptor(&self.inner).and_then(|fd| sys::position(fd).ok()),
                ),
            },
        };
        match op(&mut self.inner, cx, gate) {
            Poll::Pending => {
                self.in_flight = Some(gate);
                Poll::Pending
            }
            Poll::Ready(result) => match gate {
                InFlight::ThenDie(errno, before) => {
                    // The kernel does not move a file's position when a call fails.
                    if let (Some(before), Some(fd)) =
                        (before, AsyncConnection::descriptor(&self.inner))
                    {
                        sys::set_position(fd, before)?;
                    }
                    self.link().die(Death::Errno(errno));
                    Poll::Ready(Err(io::Error::from_raw_os_error(errno)))
                }
                _ => Poll::Ready(result),
            },
        }
    }
}

/// The bytes an operation of `len` may move under `gate`.
fn limit(gate: InFlight, len: usize) -> usize {
    match gate {
        InFlight::Short(n) => n.min(len),
        _ => len,
    }
}

impl<C: AsyncConnection> AsyncConnection for Faulty<C> {
    const KIND: Kind = C::KIND;

    fn try_dup(&self) -> io::Result<Self> {
        Ok(Self {
            inner: self.inner.try_dup()?,
            link: std::sync::Mutex::new(self.link()),
            plan: self.plan.clone(),
            in_flight: None,
        })
    }

    fn descriptor(&self) -> Option<BorrowedFd<'_>> {
        AsyncConnection::descriptor(&self.inner)
    }

    fn carry_over(&mut self, old: &mut Self) {
        self.inner.carry_over(&mut old.inner);
    }

    fn origin(&self) -> Origin {
        AsyncConnection::origin(&self.inner)
    }

    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        self.poll_gated(
            cx,
            || Ok(()),
            |inner, cx, gate| match gate {
                // A read whose answer is lost reads into a scratch buffer: the caller
                // gets nothing, as from a real failed read.
                InFlight::ThenDie(..) => {
                    let mut scratch = vec![0; buf.remaining()];
                    inner.poll_read(cx, &mut ReadBuf::new(&mut scratch))
                }
                InFlight::Run => inner.poll_read(cx, buf),
                InFlight::Short(n) => {
                    let n = n.min(buf.remaining());
                    let mut short = ReadBuf::new(buf.initialize_unfilled_to(n));
                    let result = inner.poll_read(cx, &mut short);
                    let filled = short.filled().len();
                    buf.advance(filled);
                    result
                }
            },
        )
    }

    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.poll_gated(
            cx,
            || Err(io::Error::from_raw_os_error(libc::EPIPE)),
            |inner, cx, gate| inner.poll_write(cx, &buf[..limit(gate, buf.len())]),
        )
    }

    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.inner.poll_flush(cx)
    }
}

impl<C: AsyncFileOps> AsyncFileOps for Faulty<C> {
    fn poll_read_at(
        &mut self,
        cx: &mut Context<'_>,
        buf: &mut [u8],
        offset: u64,
    ) -> Poll<io::Result<usize>> {
        self.poll_gated(
            cx,
            || Ok(0),
            |inner, cx, gate| match gate {
                InFlight::ThenDie(..) => inner.poll_read_at(cx, &mut vec![0; buf.len()], offset),
                _ => {
                    let len = limit(gate, buf.len());
                    inner.poll_read_at(cx, &mut buf[..len], offset)
                }
            },
        )
    }

    fn poll_write_at(
        &mut self,
        cx: &mut Context<'_>,
        buf: &[u8],
        offset: u64,
    ) -> Poll<io::Result<usize>> {
        self.poll_gated(
            cx,
            || Err(io::Error::from_raw_os_error(libc::EPIPE)),
            |inner, cx, gate| inner.poll_write_at(cx, &buf[..limit(gate, buf.len())], offset),
        )
    }

    fn poll_sync(&mut self, cx: &mut Context<'_>, data_only: bool) -> Poll<io::Result<()>> {
        self.poll_gated(
            cx,
            || Err(io::Error::from_raw_os_error(libc::EPIPE)),
            |inner, cx, _| inner.poll_sync(cx, data_only),
        )
    }
}

impl<C: AsyncSeekConnection> AsyncSeekConnection for Faulty<C> {
    fn poll_seek(&mut self, cx: &mut Context<'_>, pos: SeekFrom) -> Poll<io::Result<u64>> {
        self.poll_gated(
            cx,
            || Err(io::Error::from_raw_os_error(libc::EPIPE)),
            |inner, cx, _| inner.poll_seek(cx, pos),
        )
    }
}

impl<C: AsyncFileConnection> AsyncFileConnection for Faulty<C> {
    async fn reopen(dead: &Self, path: &Path, flags: libc::c_int) -> io::Result<Self> {
        dead.plan.reopen_gate()?;
        Ok(dead.plan.wrap(C::reopen(&dead.inner, path, flags).await?))
    }
}

impl<C: AsyncSocketConnection> AsyncSocketConnection for Faulty<C> {
    fn peer(&self) -> io::Result<Peer> {
        self.inner.peer()
    }

    async fn reconnect(dead: &Self, peer: &Peer, timeout: Option<Duration>) -> io::Result<Self> {
        dead.plan.reopen_gate()?;
        Ok(dead
            .plan
            .wrap(C::reconnect(&dead.inner, peer, timeout).await?))
    }
}
