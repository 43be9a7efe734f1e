//! Recovery functions: what they are given, what they return, and ready-made ones.

use std::io::{self, Seek, SeekFrom};
use std::path::Path;
use std::time::{Duration, Instant};

use ha_cover_engine::Cause;

use crate::connection::{Connection, FileConnection, Peer, SocketConnection};
use crate::origin::{Identity, Origin, safe_reopen_flags};
use ha_cover_engine::AttemptError;

/// Everything a recovery function is told about a failure (QNX passes the dead
/// connection id; this adds why it failed and how it was opened).
#[derive(Debug)]
pub struct Failure<'a, C> {
    pub(crate) cause: &'a Cause,
    pub(crate) attempt: u32,
    pub(crate) dead: &'a C,
    pub(crate) origin: &'a Origin,
    pub(crate) position: Option<u64>,
    pub(crate) identity: Option<Identity>,
    pub(crate) deadline: Option<Instant>,
    /// Nothing failed: the recovery function is making the cover's first
    /// connection (`on_connect`).
    pub(crate) first: bool,
}

impl<'a, C> Failure<'a, C> {
    /// Why the connection is being recovered. When nothing failed (the
    /// recovery function is making the cover's first connection:
    /// [`is_first_connection`](Self::is_first_connection)) an error of kind
    /// `NotConnected` that says so.
    pub fn cause(&self) -> &'a Cause {
        self.cause
    }

    /// The OS error that revealed the failure, if it was one.
    pub fn errno(&self) -> Option<i32> {
        self.cause.errno()
    }

    /// Whether nothing failed: the recovery function is making the cover's
    /// first connection, so that its handshake runs on it too (the handle
    /// declares `on_connect`, or the builder says
    /// [`on_connect(true)`](crate::Builder::on_connect)). The
    /// [dead](Self::dead) connection is then the one the constructor just
    /// made, and the [cause](Self::cause) an error that says so.
    pub fn is_first_connection(&self) -> bool {
        self.first
    }

    /// Which attempt this is for the current failure, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The connection that failed. It is closed once recovery has replaced it.
    pub fn dead(&self) -> &'a C {
        self.dead
    }

    /// How the connection was opened.
    pub fn origin(&self) -> &'a Origin {
        self.origin
    }

    /// For a file, the position the dead connection had reached: where the next
    /// read or write would have happened. The kernel keeps it even when the server
    /// is gone, and it counts every transfer of every dup.
    pub fn position(&self) -> Option<u64> {
        self.position
    }

    /// Time left before the policy's deadline for this recovery, if it has one.
    pub fn remaining(&self) -> Option<Duration> {
        self.deadline
            .map(|d| d.saturating_duration_since(Instant::now()))
    }
}

fn no_origin(what: &str) -> AttemptError {
    AttemptError::give_up(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("the connection has no {what} to recover from; give the recovery function one"),
    ))
}

impl<C: FileConnection> Failure<'_, C> {
    /// Opens the file's path again: same access mode and status flags, never
    /// `O_CREAT`, `O_EXCL` or `O_TRUNC`, with `O_CLOEXEC` (QNX's `ha_reopen`). When
    /// the policy checks identity, a path that now names another file ends the
    /// recovery with [`IdentityChanged`](crate::IdentityChanged).
    pub fn reopen(&self) -> Result<C, AttemptError> {
        let Origin::File { path, flags } = self.origin else {
            return Err(no_origin("path"));
        };
        let fresh = C::reopen(self.dead, path, safe_reopen_flags(*flags))?;
        if let (Some(identity), Some(fd)) = (&self.identity, fresh.descriptor()) {
            identity.verify(path, fd).map_err(AttemptError::give_up)?;
        }
        Ok(fresh)
    }

    /// Opens another path with the flags of the original, for failover to a
    /// replica. No identity check: a replica is another file by design.
    pub fn reopen_path(&self, path: impl AsRef<Path>) -> Result<C, AttemptError> {
        let Origin::File { flags, .. } = self.origin else {
            return Err(no_origin("open flags"));
        };
        Ok(C::reopen(
            self.dead,
            path.as_ref(),
            safe_reopen_flags(*flags),
        )?)
    }
}

impl<C: FileConnection + Seek> Failure<'_, C> {
    /// [`reopen`](Self::reopen), then seek to `position`.
    pub fn reopen_at(&self, position: u64) -> Result<C, AttemptError> {
        let mut fresh = self.reopen()?;
        fresh.seek(SeekFrom::Start(position))?;
        Ok(fresh)
    }

    /// [`reopen`](Self::reopen), then seek to where the dead connection was
    /// ([`position`](Self::position)): QNX's `ha_reopen` followed by `lseek` to the
    /// saved offset, without having to save it.
    pub fn reopen_seek(&self) -> Result<C, AttemptError> {
        let position = self.position.ok_or_else(|| {
            AttemptError::give_up(io::Error::other(
                "the dead connection's position is unknown; seek to a position the handle saved instead",
            ))
        })?;
        self.reopen_at(position)
    }
}

impl<C: SocketConnection> Failure<'_, C> {
    /// Connects to the same peer again, carrying the socket's options over (QNX's
    /// `ha_ReConnectAttach`). A TCP connect is bounded by the time left before the
    /// deadline.
    pub fn reconnect(&self) -> Result<C, AttemptError> {
        let Origin::Socket(peer) = self.origin else {
            return Err(no_origin("peer address"));
        };
        self.reconnect_to(peer)
    }

    /// Connects to another peer, for failover to a replica.
    pub fn reconnect_to(&self, peer: &Peer) -> Result<C, AttemptError> {
        Ok(C::reconnect(self.dead, peer, self.remaining())?)
    }
}

/// A recovery function: given the failure and the client's handle, it returns a
/// new connection, or an error (retried while the policy allows, unless it
/// [gives up](AttemptError::give_up)). QNX's `RFp` with its `rhdl`.
///
/// Any `FnMut(&Failure<C>, &mut H) -> Result<C, AttemptError>` closure or function
/// is one.
pub trait Recover<C, H>: Send + 'static {
    /// Makes one attempt to restore the connection.
    fn recover(&mut self, failure: &Failure<'_, C>, handle: &mut H) -> Result<C, AttemptError>;
}

impl<C, H, F> Recover<C, H> for F
where
    F: FnMut(&Failure<'_, C>, &mut H) -> Result<C, AttemptError> + Send + 'static,
{
    fn recover(&mut self, failure: &Failure<'_, C>, handle: &mut H) -> Result<C, AttemptError> {
        self(failure, handle)
    }
}

/// Makes a value implementing [`Recover`] the recovery function of a
/// constructor, which take closures and functions.
///
/// ```
/// use std::fs::File;
/// use ha_cover::{AttemptError, Cover, Failure, Recover};
///
/// /// Fails over along a list of replicas.
/// struct Replicas(Vec<std::path::PathBuf>);
///
/// impl Recover<File, ()> for Replicas {
///     fn recover(&mut self, failure: &Failure<'_, File>, _: &mut ()) -> Result<File, AttemptError> {
///         let next = self.0.first().cloned().ok_or_else(|| AttemptError::give_up(std::io::ErrorKind::NotFound))?;
///         self.0.rotate_left(1);
///         failure.reopen_path(next)
///     }
/// }
///
/// # fn main() -> std::io::Result<()> {
/// # let path = std::env::temp_dir().join(format!("ha-cover-recover-with-{}", std::process::id()));
/// # std::fs::write(&path, b"x")?;
/// let file = Cover::open(&path, ha_cover::recover_with(Replicas(vec![path.clone()])), ())?;
/// # std::fs::remove_file(&path)?;
/// # Ok(()) }
/// ```
pub fn recover_with<C, H>(
    mut recovery: impl Recover<C, H>,
) -> impl FnMut(&Failure<'_, C>, &mut H) -> Result<C, AttemptError> + Send + 'static {
    move |failure, handle| recovery.recover(failure, handle)
}

/// Recovery that reopens the file's path (no seek): see [`Failure::reopen`].
pub fn reopen<C: FileConnection, H>(
    failure: &Failure<'_, C>,
    _: &mut H,
) -> Result<C, AttemptError> {
    failure.reopen()
}

/// Recovery that reopens the file's path and seeks back to where the dead
/// connection was: see [`Failure::reopen_seek`]. Right for readers and for writers
/// of regular files.
pub fn reopen_seek<C: FileConnection + Seek, H>(
    failure: &Failure<'_, C>,
    _: &mut H,
) -> Result<C, AttemptError> {
    failure.reopen_seek()
}

/// Recovery that reconnects to the same peer: see [`Failure::reconnect`].
pub fn reconnect<C: SocketConnection, H>(
    failure: &Failure<'_, C>,
    _: &mut H,
) -> Result<C, AttemptError> {
    failure.reconnect()
}

/// A placeholder for covers that must not recover: every failure is returned as it
/// came. Useful with [`Cover::set_recovery`](crate::Cover::set_recovery) to switch
/// recovery off for good (suspend is the reversible way).
pub fn never<C: Connection, H>(failure: &Failure<'_, C>, _: &mut H) -> Result<C, AttemptError> {
    Err(AttemptError::give_up(match failure.cause() {
        Cause::Error(e) => io::Error::new(e.kind(), "recovery is disabled for this connection"),
        _ => io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "recovery is disabled for this connection",
        ),
    }))
}
