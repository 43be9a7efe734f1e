//! The types a field with a role may have, and what the generated code does
//! with them.
//!
//! Each role is a trait implemented for the types that make sense for it, so a
//! field of another type is a compile error at that field's type, in words about
//! the role. They are hidden: the derive is their only user.

use std::borrow::Cow;
use std::ffi::OsString;
use std::io;
use std::net::{SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::unix::net::SocketAddr as UnixAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::connection::Peer;
use crate::handle::Transfer;
use ha_cover_engine::AttemptError;

/// Types of an `#[ha(offset)]` field: integers.
#[diagnostic::on_unimplemented(
    message = "an `#[ha(offset)]` field must be an integer, not `{Self}`",
    label = "the offset field's type",
    note = "the offset is the connection's position in bytes: use `u64`"
)]
pub trait OffsetField {
    /// Follows a successful transfer so the field stays equal to the position.
    fn follow(&mut self, transfer: Transfer<'_>);
    /// The position to seek back to.
    fn position(&self) -> Result<u64, AttemptError>;
}

/// Types of an `#[ha(recoveries)]` field: integers.
#[diagnostic::on_unimplemented(
    message = "an `#[ha(recoveries)]` field must be an integer, not `{Self}`",
    label = "the recoveries field's type",
    note = "the field counts successful recoveries: use `u32` or `u64`"
)]
pub trait RecoveriesField {
    /// Counts one more successful recovery.
    fn count(&mut self);
}

fn position_unknown(why: &str) -> AttemptError {
    AttemptError::give_up(io::Error::other(format!(
        "the #[ha(offset)] field {why}, so there is no position to seek back to; use a u64 field"
    )))
}

macro_rules! integer_fields {
    ($($ty:ty)*) => {$(
        impl OffsetField for $ty {
            #[inline]
            fn follow(&mut self, transfer: Transfer<'_>) {
                let next = match transfer {
                    Transfer::Read(bytes) | Transfer::Written(bytes) => self
                        .position()
                        .ok()
                        .and_then(|at| at.checked_add(bytes.len() as u64)),
                    Transfer::Seeked(to) => Some(to),
                    // Positioned transfers do not move the position.
                    _ => return,
                };
                // A position the type cannot hold sticks at the maximum, which
                // `position` refuses: seeking to a wrong place would corrupt the
                // stream, giving up only fails the operation.
                *self = next.and_then(|n| <$ty>::try_from(n).ok()).unwrap_or(<$ty>::MAX);
            }

            fn position(&self) -> Result<u64, AttemptError> {
                if *self == <$ty>::MAX {
                    return Err(position_unknown(concat!(
                        "overflowed `", stringify!($ty), "`"
                    )));
                }
                u64::try_from(*self).map_err(|_| position_unknown("is negative"))
            }
        }

        impl RecoveriesField for $ty {
            #[inline]
            fn count(&mut self) {
                *self = self.saturating_add(1);
            }
        }
    )*};
}

integer_fields!(u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize);

/// Types of an `#[ha(path)]` field: paths, and `Option`s of them where `None`
/// means the path the file was opened with.
#[diagnostic::on_unimplemented(
    message = "an `#[ha(path)]` field must be a path, not `{Self}`",
    label = "the path field's type",
    note = "use `PathBuf` (or `String`, `OsString`, `Box<Path>`, `Arc<Path>`), or an `Option` of one where `None` reopens the path the file was opened with"
)]
pub trait PathField {
    /// Where to reopen, if not where the file was opened.
    fn path(&self) -> Option<&Path>;
}

impl PathField for PathBuf {
    fn path(&self) -> Option<&Path> {
        Some(self.as_ref())
    }
}

impl PathField for Box<Path> {
    fn path(&self) -> Option<&Path> {
        Some(self.as_ref())
    }
}

impl PathField for Arc<Path> {
    fn path(&self) -> Option<&Path> {
        Some(self.as_ref())
    }
}

impl PathField for Cow<'static, Path> {
    fn path(&self) -> Option<&Path> {
        Some(self.as_ref())
    }
}

impl PathField for &'static Path {
    fn path(&self) -> Option<&Path> {
        Some(self)
    }
}

impl PathField for String {
    fn path(&self) -> Option<&Path> {
        Some(self.as_ref())
    }
}

impl PathField for &'static str {
    fn path(&self) -> Option<&Path> {
        Some(self.as_ref())
    }
}

impl PathField for OsString {
    fn path(&self) -> Option<&Path> {
        Some(self.as_ref())
    }
}

impl<T: PathField> PathField for Option<T> {
    fn path(&self) -> Option<&Path> {
        self.as_ref().and_then(PathField::path)
    }
}

/// Types of an `#[ha(addr)]` field: socket addresses, and `Option`s of them where
/// `None` means the peer the socket was connected to.
#[diagnostic::on_unimplemented(
    message = "an `#[ha(addr)]` field must be a socket address, not `{Self}`",
    label = "the address field's type",
    note = "use `ha_cover::Peer`, `std::net::SocketAddr` (TCP), `PathBuf` (a Unix socket's path) or `std::os::unix::net::SocketAddr`, or an `Option` of one where `None` reconnects to the original peer"
)]
pub trait AddrField: Sized {
    /// Where to reconnect, if not to the original peer.
    fn peer(&self) -> io::Result<Option<Peer>>;

    /// The field's value for an address a discovery led to (`discover = ...`);
    /// an address the type cannot hold ends the recovery.
    fn from_peer(peer: &Peer) -> Result<Self, AttemptError>;

    /// Keeps the address a discovery led to.
    fn keep(&mut self, peer: &Peer) -> Result<(), AttemptError> {
        *self = Self::from_peer(peer)?;
        Ok(())
    }
}

/// A discovered address the `#[ha(addr)]` field's type cannot hold.
fn cannot_keep(peer: &Peer, ty: &str) -> AttemptError {
    AttemptError::give_up(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "discovery led to {peer}, which the #[ha(addr)] field, a `{ty}`, cannot hold; make the field a `ha_cover::Peer`"
        ),
    ))
}

impl AddrField for Peer {
    fn peer(&self) -> io::Result<Option<Peer>> {
        Ok(Some(self.clone()))
    }

    fn from_peer(peer: &Peer) -> Result<Self, AttemptError> {
        Ok(peer.clone())
    }
}

impl AddrField for SocketAddr {
    fn peer(&self) -> io::Result<Option<Peer>> {
        Ok(Some(Peer::Tcp(*self)))
    }

    fn from_peer(peer: &Peer) -> Result<Self, AttemptError> {
        match peer {
            Peer::Tcp(addr) => Ok(*addr),
            Peer::Unix(_) => Err(cannot_keep(peer, "SocketAddr")),
        }
    }
}

impl AddrField for SocketAddrV4 {
    fn peer(&self) -> io::Result<Option<Peer>> {
        Ok(Some(Peer::Tcp((*self).into())))
    }

    fn from_peer(peer: &Peer) -> Result<Self, AttemptError> {
        match peer {
            Peer::Tcp(SocketAddr::V4(addr)) => Ok(*addr),
            _ => Err(cannot_keep(peer, "SocketAddrV4")),
        }
    }
}

impl AddrField for SocketAddrV6 {
    fn peer(&self) -> io::Result<Option<Peer>> {
        Ok(Some(Peer::Tcp((*self).into())))
    }

    fn from_peer(peer: &Peer) -> Result<Self, AttemptError> {
        match peer {
            Peer::Tcp(SocketAddr::V6(addr)) => Ok(*addr),
            _ => Err(cannot_keep(peer, "SocketAddrV6")),
        }
    }
}

impl AddrField for UnixAddr {
    fn peer(&self) -> io::Result<Option<Peer>> {
        Ok(Some(Peer::Unix(self.clone())))
    }

    fn from_peer(peer: &Peer) -> Result<Self, AttemptError> {
        match peer {
            Peer::Unix(addr) => Ok(addr.clone()),
            Peer::Tcp(_) => Err(cannot_keep(peer, "std::os::unix::net::SocketAddr")),
        }
    }
}

impl AddrField for PathBuf {
    fn peer(&self) -> io::Result<Option<Peer>> {
        Peer::unix(self).map(Some)
    }

    fn from_peer(peer: &Peer) -> Result<Self, AttemptError> {
        match peer {
            Peer::Unix(addr) => match addr.as_pathname() {
                Some(path) => Ok(path.to_path_buf()),
                None => Err(cannot_keep(peer, "PathBuf")),
            },
            Peer::Tcp(_) => Err(cannot_keep(peer, "PathBuf")),
        }
    }
}

impl<T: AddrField> AddrField for Option<T> {
    fn peer(&self) -> io::Result<Option<Peer>> {
        self.as_ref().map_or(Ok(None), AddrField::peer)
    }

    fn from_peer(peer: &Peer) -> Result<Self, AttemptError> {
        T::from_peer(peer).map(Some)
    }
}
