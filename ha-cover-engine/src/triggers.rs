//! Which errors mean "the server behind this connection died".

use std::fmt;

use crate::errno::errno_name;
use crate::op::Kind;

const WORDS: usize = 3;
const CAPACITY: i32 = (WORDS * 64) as i32;

/// A set of `errno` values that trigger recovery.
///
/// The defaults follow what Linux reports when a server dies (see the crate docs):
/// for files `ENOTCONN` (a FUSE daemon died), `ECONNABORTED` (a FUSE request that
/// was in flight when it died), `ESTALE` (NFS) and `EBADF`; for sockets also
/// `ECONNRESET`, `EPIPE`, `ESHUTDOWN`, `ENETRESET` and `ETIMEDOUT`. Every other error is returned to the caller unchanged. `EINTR` is
/// never a trigger: an interrupted call is retried in place.
///
/// ```
/// use ha_cover_engine::Triggers;
/// // An NFS soft mount reports a timeout as EIO; treat it as a server death too.
/// let triggers = Triggers::files().with(libc::EIO);
/// assert!(triggers.contains(libc::EIO) && triggers.contains(libc::ESTALE));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Triggers {
    bits: [u64; WORDS],
}

impl Triggers {
    /// The empty set: nothing triggers recovery.
    pub const fn none() -> Self {
        Self { bits: [0; WORDS] }
    }

    /// The default set for files: `ENOTCONN`, `ECONNABORTED`, `ESTALE`, `EBADF`.
    pub const fn files() -> Self {
        Self::none()
            .with(libc::ENOTCONN)
            .with(libc::ECONNABORTED)
            .with(libc::ESTALE)
            .with(libc::EBADF)
    }

    /// The default set for sockets: the file set plus `ECONNRESET`, `EPIPE`,
    /// `ESHUTDOWN`, `ENETRESET`, `ETIMEDOUT`.
    pub const fn sockets() -> Self {
        Self::files()
            .with(libc::ECONNRESET)
            .with(libc::EPIPE)
            .with(libc::ESHUTDOWN)
            .with(libc::ENETRESET)
            .with(libc::ETIMEDOUT)
    }

    /// The default set for a kind of connection.
    pub const fn for_kind(kind: Kind) -> Self {
        match kind {
            Kind::File => Self::files(),
            Kind::Socket => Self::sockets(),
        }
    }

    /// This set with `errno` added.
    ///
    /// # Panics
    /// If `errno` is `EINTR` (an interrupted call is retried in place, never
    /// recovered) or not a valid error number. In a `const` this is a compile error.
    pub const fn with(mut self, errno: i32) -> Self {
        assert!(
            errno != libc::EINTR,
            "EINTR cannot trigger recovery: an interrupted call is retried in place"
        );
        assert!(errno > 0 && errno < CAPACITY, "not an errno value");
        self.bits[(errno / 64) as usize] |= 1 << (errno % 64);
        self
    }

    /// This set with `errno` removed.
    pub const fn without(mut self, errno: i32) -> Self {
        if errno > 0 && errno < CAPACITY {
            self.bits[(errno / 64) as usize] &= !(1 << (errno % 64));
        }
        self
    }

    /// Whether `errno` is in the set.
    pub const fn contains(&self, errno: i32) -> bool {
        errno > 0 && errno < CAPACITY && self.bits[(errno / 64) as usize] & (1 << (errno % 64)) != 0
    }

    /// The error numbers in the set, in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = i32> + '_ {
        (1..CAPACITY).filter(|&errno| self.contains(errno))
    }
}

impl FromIterator<i32> for Triggers {
    /// # Panics
    /// As [`Triggers::with`].
    fn from_iter<I: IntoIterator<Item = i32>>(iter: I) -> Self {
        iter.into_iter().fold(Self::none(), Self::with)
    }
}

impl fmt::Debug for Triggers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter().map(ErrnoName)).finish()
    }
}

struct ErrnoName(i32);

impl fmt::Debug for ErrnoName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match errno_name(self.0) {
            Some(name) => f.write_str(name),
            None => write!(f, "{}", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_sets() {
        let files: Vec<_> = Triggers::files().iter().collect();
        assert_eq!(
            files,
            [
                libc::EBADF,
                libc::ECONNABORTED,
                libc::ENOTCONN,
                libc::ESTALE
            ]
        );
        let sockets = Triggers::sockets();
        for errno in [
            libc::ECONNRESET,
            libc::ECONNABORTED,
            libc::EPIPE,
            libc::ESHUTDOWN,
            libc::ENETRESET,
            libc::ETIMEDOUT,
            libc::ENOTCONN,
        ] {
            assert!(sockets.contains(errno), "{errno}");
        }
        assert!(!sockets.contains(libc::EIO));
        assert!(!sockets.contains(libc::EINTR));
    }

    #[test]
    fn with_and_without() {
        let t = Triggers::none().with(libc::EIO).with(150);
        assert!(t.contains(libc::EIO) && t.contains(150));
        assert!(!t.without(libc::EIO).contains(libc::EIO));
        assert!(!t.contains(0) && !t.contains(-1) && !t.contains(10_000));
    }

    #[test]
    #[should_panic(expected = "EINTR cannot trigger recovery")]
    fn eintr_is_refused() {
        let _ = Triggers::files().with(libc::EINTR);
    }

    #[test]
    fn debug_names_errnos() {
        assert_eq!(
            format!("{:?}", Triggers::files()),
            "{EBADF, ECONNABORTED, ENOTCONN, ESTALE}"
        );
    }
}
