//! A connection that fails at scripted points, for testing recovery code: yours,
//! and ours.
//!
//! A [`Plan`] numbers every operation made through the connections it wraps (from
//! 0, across reopens), and makes the chosen ones fail as a dying server would: the
//! connection then stays dead, as a descriptor on a killed FUSE daemon does, until
//! recovery replaces it. Reopens and reconnects through [`Failure`](crate::Failure)
//! helpers go through the plan too, so they can be made to fail while "the server
//! is still down".
//!
//! ```
//! use std::io::{Read, Write};
//! use ha_cover::Cover;
//! use ha_cover::fault::{Fault, Plan};
//!
//! # fn main() -> std::io::Result<()> {
//! let dir = std::env::temp_dir().join(format!("ha-cover-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let path = dir.join("data");
//! std::fs::write(&path, b"hello, world")?;
//!
//! // The third operation finds the server dead; the first reopen fails too.
//! let plan = Plan::new().at(2, Fault::Die(libc::ENOTCONN)).fail_reopens(1, libc::ENOENT);
//! let file = plan.wrap(std::fs::File::open(&path)?);
//! let mut cover = Cover::builder()
//!     .backoff(ha_cover::Backoff::none())
//!     .attach(file, ha_cover::reopen_seek, ())?;
//! let mut got = Vec::new();
//! let mut buf = [0; 4];
//! loop {
//!     match cover.read(&mut buf)? {
//!         0 => break,
//!         n => got.extend_from_slice(&buf[..n]),
//!     }
//! }
//! assert_eq!(got, b"hello, world");
//! assert_eq!(cover.control().stats().recoveries, 1);
//! assert_eq!(plan.reopens(), 2);
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok(()) }
//! ```

use std::collections::{BTreeMap, VecDeque};
use std::io::{self, Read, Seek, SeekFrom};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::Duration;

use crate::connection::{
    Connection, FileConnection, Kind, Peer, SharedConnection, SocketConnection, SyncConnection,
    WriteConnection,
};
use crate::origin::Origin;

#[cfg(all(feature = "tokio", not(loom)))]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
mod tokio_impl;

/// What happens to a scripted operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// The operation fails with this errno and the connection (with its dups) is
    /// dead from then on: the server died before the operation reached it.
    Die(i32),
    /// The operation is carried out, then fails with this errno and the connection
    /// dies: the server did the work but its answer was lost. A file's position is
    /// left where it was, as the kernel leaves it after a failed call.
    DieAfter(i32),
    /// A read returns end-of-file and the connection dies (a socket peer that
    /// closed); writes on it then fail with `EPIPE`.
    Eof,
    /// The operation fails with this errno once; the connection lives.
    Fail(i32),
    /// The transfer moves at most this many bytes.
    Short(usize),
}

/// The script shared by every connection it wraps. Cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct Plan(Arc<Mutex<Script>>);

#[derive(Debug, Default)]
struct Script {
    next_op: u64,
    faults: BTreeMap<u64, Fault>,
    reopen_failures: VecDeque<i32>,
    reopens: u64,
    links: Vec<Weak<Link>>,
}

#[derive(Debug, Default)]
struct Link {
    death: Mutex<Option<Death>>,
    /// Held across a call through a shared reference that moves the file
    /// position, as the kernel holds a description's position lock: a call
    /// that dies after the server did its work puts the position back
    /// before another call can move it.
    position: Mutex<()>,
}

#[derive(Clone, Copy, Debug)]
enum Death {
    Errno(i32),
    Eof,
}

impl Link {
    fn death(&self) -> Option<Death> {
        *self.death.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn die(&self, death: Death) {
        *self.death.lock().unwrap_or_else(PoisonError::into_inner) = Some(death);
    }
}

impl Plan {
    /// A plan with no faults.
    pub fn new() -> Self {
        Self::default()
    }

    fn script(&self) -> MutexGuard<'_, Script> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Makes operation number `op` (from 0, counting every operation on a live
    /// connection of this plan) fail with `fault`.
    pub fn at(self, op: u64, fault: Fault) -> Self {
        self.script().faults.insert(op, fault);
        self
    }

    /// Makes the next `count` reopens or reconnects fail with `errno`, as they do
    /// while a server is still down.
    pub fn fail_reopens(self, count: usize, errno: i32) -> Self {
        self.script()
            .reopen_failures
            .extend(std::iter::repeat_n(errno, count));
        self
    }

    /// Kills every connection made so far with `errno`, as a server dying at a
    /// moment chosen from outside (another thread, a timer).
    pub fn kill(&self, errno: i32) {
        self.end_all(Death::Errno(errno));
    }

    fn end_all(&self, death: Death) {
        let mut script = self.script();
        script.links.retain(|link| match link.upgrade() {
            Some(link) => {
                link.die(death);
                true
            }
            None => false,
        });
    }

    /// Closes every connection made so far from the peer's side: reads give
    /// end-of-file, writes `EPIPE`, as when a socket server's process exits.
    pub fn hang_up(&self) {
        self.end_all(Death::Eof);
    }

    /// Operations counted so far.
    pub fn ops(&self) -> u64 {
        self.script().next_op
    }

    /// Reopens and reconnects tried so far, failed or not.
    pub fn reopens(&self) -> u64 {
        self.script().reopens
    }

    /// Wraps a connection so that its operations follow this plan.
    pub fn wrap<C>(&self, inner: C) -> Faulty<C> {
        Faulty {
            inner,
            link: Mutex::new(self.new_link()),
            plan: self.clone(),
            #[cfg(all(feature = "tokio", not(loom)))]
            in_flight: None,
        }
    }

    fn new_link(&self) -> Arc<Link> {
        let link = Arc::new(Link::default());
        self.script().links.push(Arc::downgrade(&link));
        link
    }

    fn reopen_gate(&self) -> io::Result<()> {
        let mut script = self.script();
        script.reopens += 1;
        match script.reopen_failures.pop_front() {
            Some(errno) => Err(io::Error::from_raw_os_error(errno)),
            None => Ok(()),
        }
    }
}

/// A connection whose operations follow a [`Plan`]. See the [module docs](self).
#[derive(Debug)]
pub struct Faulty<C> {
    inner: C,
    /// The open file description's fate, shared with the dups made of it;
    /// replaced when a recovery through `&self` puts a new description
    /// under this one's descriptor (`repoint`).
    link: Mutex<Arc<Link>>,
    plan: Plan,
    /// An async operation the plan let through, still pending.
    #[cfg(all(feature = "tokio", not(loom)))]
    in_flight: Option<tokio_impl::InFlight>,
}

/// What the plan says about one operation.
enum Gate {
    Run,
    RunThenDie(i32),
    Short(usize),
    Fail(io::Error),
    Eof,
}

impl<C> Faulty<C> {
    fn link(&self) -> Arc<Link> {
        Arc::clone(&self.link.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The wrapped connection.
    pub fn get_ref(&self) -> &C {
        &self.inner
    }

    /// The plan this connection follows.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    fn gate(&self) -> Gate {
        match self.link().death() {
            Some(Death::Errno(errno)) => return Gate::Fail(io::Error::from_raw_os_error(errno)),
            Some(Death::Eof) => return Gate::Eof,
            None => {}
        }
        let fault = {
            let mut script = self.plan.script();
            let op = script.next_op;
            script.next_op += 1;
            script.faults.remove(&op)
        };
        match fault {
            None => Gate::Run,
            Some(Fault::Die(errno)) => {
                self.link().die(Death::Errno(errno));
                Gate::Fail(io::Error::from_raw_os_error(errno))
            }
            Some(Fault::DieAfter(errno)) => Gate::RunThenDie(errno),
            Some(Fault::Eof) => {
                self.link().die(Death::Eof);
                Gate::Eof
            }
            Some(Fault::Fail(errno)) => Gate::Fail(io::Error::from_raw_os_error(errno)),
            Some(Fault::Short(n)) => Gate::Short(n),
        }
    }
}

impl<C: Connection> Faulty<C> {
    /// Runs `op` as the plan says: `op` gets a limit on the bytes to transfer when
    /// the plan makes it short; `eof` is what the operation gives on a connection
    /// whose peer closed.
    fn run<T>(
        &mut self,
        eof: impl FnOnce() -> io::Result<T>,
        op: impl FnOnce(&mut C, Option<usize>) -> io::Result<T>,
    ) -> io::Result<T> {
        match self.gate() {
            Gate::Run => op(&mut self.inner, None),
            Gate::Short(n) => op(&mut self.inner, Some(n)),
            Gate::Fail(e) => Err(e),
            Gate::Eof => eof(),
            Gate::RunThenDie(errno) => {
                // The kernel does not move a file's position when a call fails.
                let before = self
                    .inner
                    .descriptor()
                    .and_then(|fd| crate::sys::position(fd).ok());
                let _ = op(&mut self.inner, None);
                if let (Some(before), Some(fd)) = (before, self.inner.descriptor()) {
                    crate::sys::set_position(fd, before)?;
                }
                self.link().die(Death::Errno(errno));
                Err(io::Error::from_raw_os_error(errno))
            }
        }
    }
}

impl<C: Connection> Faulty<C> {
    /// [`run`](Self::run) through a shared reference, as `&File` reads and
    /// writes.
    fn run_shared<T>(
        &self,
        eof: impl FnOnce() -> io::Result<T>,
        op: impl FnOnce(&C, Option<usize>) -> io::Result<T>,
    ) -> io::Result<T> {
        let link = self.link();
        // A socket has no position, and a read that waits for data must not
        // keep a write from sending what it waits for.
        let _position = (C::KIND == Kind::File)
            .then(|| link.position.lock().unwrap_or_else(PoisonError::into_inner));
        match self.gate() {
            Gate::Run => op(&self.inner, None),
            Gate::Short(n) => op(&self.inner, Some(n)),
            Gate::Fail(e) => Err(e),
            Gate::Eof => eof(),
            Gate::RunThenDie(errno) => {
                let before = self
                    .inner
                    .descriptor()
                    .and_then(|fd| crate::sys::position(fd).ok());
                let _ = op(&self.inner, None);
                if let (Some(before), Some(fd)) = (before, self.inner.descriptor()) {
                    crate::sys::set_position(fd, before)?;
                }
                self.link().die(Death::Errno(errno));
                Err(io::Error::from_raw_os_error(errno))
            }
        }
    }
}

fn limited(buf: &[u8], limit: Option<usize>) -> &[u8] {
    &buf[..limit.map_or(buf.len(), |n| n.min(buf.len()))]
}

fn limited_mut(buf: &mut [u8], limit: Option<usize>) -> &mut [u8] {
    let len = limit.map_or(buf.len(), |n| n.min(buf.len()));
    &mut buf[..len]
}

fn broken_pipe<T>() -> io::Result<T> {
    Err(io::Error::from_raw_os_error(libc::EPIPE))
}

impl<C: Connection> Connection for Faulty<C> {
    const KIND: Kind = C::KIND;

    fn try_dup(&self) -> io::Result<Self> {
        Ok(Self {
            inner: self.inner.try_dup()?,
            link: Mutex::new(self.link()),
            plan: self.plan.clone(),
            #[cfg(all(feature = "tokio", not(loom)))]
            in_flight: None,
        })
    }

    fn descriptor(&self) -> Option<BorrowedFd<'_>> {
        self.inner.descriptor()
    }

    fn origin(&self) -> Origin {
        self.inner.origin()
    }

    /// The wrapped connection's own, and the new description's fate with it.
    fn repoint(&self, fresh: Self) -> Result<(), Self> {
        let Faulty {
            inner,
            link,
            plan,
            #[cfg(all(feature = "tokio", not(loom)))]
            in_flight,
        } = fresh;
        let link = link.into_inner().unwrap_or_else(PoisonError::into_inner);
        match self.inner.repoint(inner) {
            Ok(()) => {
                *self.link.lock().unwrap_or_else(PoisonError::into_inner) = link;
                Ok(())
            }
            Err(inner) => Err(Faulty {
                inner,
                link: Mutex::new(link),
                plan,
                #[cfg(all(feature = "tokio", not(loom)))]
                in_flight,
            }),
        }
    }
}

impl<C: Connection + Read> Read for Faulty<C> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.run(|| Ok(0), |inner, limit| inner.read(limited_mut(buf, limit)))
    }
}

/// Reads and writes through a shared reference, as `&File` does.
impl<C: SharedConnection> SharedConnection for Faulty<C> {
    fn read_shared(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.run_shared(
            || Ok(0),
            |inner, limit| inner.read_shared(limited_mut(buf, limit)),
        )
    }

    fn write_shared(&self, buf: &[u8]) -> io::Result<usize> {
        self.run_shared(broken_pipe, |inner, limit| {
            inner.write_shared(limited(buf, limit))
        })
    }
}

impl<C: WriteConnection> WriteConnection for Faulty<C> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.run(broken_pipe, |inner, limit| inner.write(limited(buf, limit)))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<C: Connection + Seek> Seek for Faulty<C> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.run(broken_pipe, |inner, _| inner.seek(pos))
    }
}

impl<C: Connection + FileExt> FileExt for Faulty<C> {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        match self.gate() {
            Gate::Run => self.inner.read_at(buf, offset),
            Gate::Short(n) => self.inner.read_at(limited_mut(buf, Some(n)), offset),
            Gate::Fail(e) => Err(e),
            Gate::Eof => Ok(0),
            Gate::RunThenDie(errno) => {
                let _ = self.inner.read_at(buf, offset);
                self.link().die(Death::Errno(errno));
                Err(io::Error::from_raw_os_error(errno))
            }
        }
    }

    fn write_at(&self, buf: &[u8], offset: u64) -> io::Result<usize> {
        match self.gate() {
            Gate::Run => self.inner.write_at(buf, offset),
            Gate::Short(n) => self.inner.write_at(limited(buf, Some(n)), offset),
            Gate::Fail(e) => Err(e),
            Gate::Eof => broken_pipe(),
            Gate::RunThenDie(errno) => {
                let _ = self.inner.write_at(buf, offset);
                self.link().die(Death::Errno(errno));
                Err(io::Error::from_raw_os_error(errno))
            }
        }
    }
}

impl<C: SyncConnection> SyncConnection for Faulty<C> {
    fn sync_all(&self) -> io::Result<()> {
        match self.gate() {
            Gate::Fail(e) => Err(e),
            Gate::Eof => broken_pipe(),
            _ => self.inner.sync_all(),
        }
    }

    fn sync_data(&self) -> io::Result<()> {
        match self.gate() {
            Gate::Fail(e) => Err(e),
            Gate::Eof => broken_pipe(),
            _ => self.inner.sync_data(),
        }
    }
}

impl<C: FileConnection> FileConnection for Faulty<C> {
    fn reopen(dead: &Self, path: &Path, flags: libc::c_int) -> io::Result<Self> {
        dead.plan.reopen_gate()?;
        Ok(dead.plan.wrap(C::reopen(&dead.inner, path, flags)?))
    }
}

impl<C: SocketConnection> SocketConnection for Faulty<C> {
    fn peer(&self) -> io::Result<Peer> {
        self.inner.peer()
    }

    fn reconnect(dead: &Self, peer: &Peer, timeout: Option<Duration>) -> io::Result<Self> {
        dead.plan.reopen_gate()?;
        Ok(dead.plan.wrap(C::reconnect(&dead.inner, peer, timeout)?))
    }
}

impl<C: AsFd> AsFd for Faulty<C> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.inner.as_fd()
    }
}

impl<C: AsRawFd> AsRawFd for Faulty<C> {
    fn as_raw_fd(&self) -> RawFd {
        self.inner.as_raw_fd()
    }
}
