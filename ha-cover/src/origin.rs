//! How a connection was opened, so that recovery can open it again, safely.

use std::io;
use std::os::fd::{AsRawFd, BorrowedFd};
use std::path::{Path, PathBuf};

use crate::connection::Peer;
use crate::sys;
use ha_cover_engine::IdentityChanged;
use ha_cover_engine::IdentityCheck;

/// Where a covered connection came from: the path and flags of a file, the peer of
/// a socket. Recovery helpers reopen or reconnect from it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Origin {
    /// A file opened at `path`.
    File {
        /// The path, made absolute when it was opened, so a later change of the
        /// working directory does not move it.
        path: PathBuf,
        /// The descriptor's access mode and status flags as `fcntl(F_GETFL)` reports
        /// them: `O_APPEND`, `O_SYNC`, `O_DIRECT`... never `O_CREAT`, `O_EXCL` or
        /// `O_TRUNC`, which only matter when a file is first created.
        flags: libc::c_int,
    },
    /// A socket connected to `peer`.
    Socket(Peer),
    /// A connection the cover could not describe (attached from elsewhere, with no
    /// path or peer to find): recovery must say itself what to open.
    Unknown,
}

impl Origin {
    /// The path of a file connection.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Origin::File { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The peer of a socket connection.
    pub fn peer(&self) -> Option<&Peer> {
        match self {
            Origin::Socket(peer) => Some(peer),
            _ => None,
        }
    }

    /// Where the connection leads, as logs and events name it.
    pub(crate) fn target(&self) -> ha_cover_engine::Target {
        match self {
            Origin::File { path, .. } => ha_cover_engine::Target::Path(path.clone()),
            Origin::Socket(peer) => ha_cover_engine::Target::Peer(peer.to_string()),
            Origin::Unknown => ha_cover_engine::Target::Unknown,
        }
    }

    /// Whether the file was opened for appending.
    pub fn is_append(&self) -> bool {
        matches!(self, Origin::File { flags, .. } if flags & libc::O_APPEND != 0)
    }

    /// The flags a reopen uses: the same access mode and status flags, never
    /// `O_CREAT`, `O_EXCL` or `O_TRUNC`, always `O_CLOEXEC`. A recovery must not
    /// create a file the server lost or empty one it kept.
    pub fn reopen_flags(&self) -> Option<libc::c_int> {
        match self {
            Origin::File { flags, .. } => Some(safe_reopen_flags(*flags)),
            _ => None,
        }
    }

    /// Describes an open file from its descriptor: the path the kernel has for it
    /// and its flags. `Unknown` when the file has no path any more.
    pub(crate) fn of_descriptor(fd: BorrowedFd<'_>, path: Option<&Path>) -> Origin {
        let flags = match sys::status_flags(fd) {
            Ok(flags) => flags,
            Err(_) => return Origin::Unknown,
        };
        let path = match path {
            Some(path) => std::path::absolute(path).ok(),
            None => std::fs::read_link(format!("/proc/self/fd/{}", fd.as_raw_fd()))
                .ok()
                // The kernel marks unlinked files so; there is nothing to reopen.
                .filter(|p| p.is_absolute() && !p.to_string_lossy().ends_with(" (deleted)")),
        };
        match path {
            Some(path) => Origin::File { path, flags },
            None => Origin::Unknown,
        }
    }
}

/// Removes the flags that create or truncate and adds `O_CLOEXEC`.
pub fn safe_reopen_flags(flags: libc::c_int) -> libc::c_int {
    (flags & !(libc::O_CREAT | libc::O_EXCL | libc::O_TRUNC | libc::O_NOCTTY)) | libc::O_CLOEXEC
}

/// What a file was when first opened, to check that a reopened path names it still.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Identity {
    pub check: IdentityCheck,
    pub inode: u64,
    pub size: u64,
}

impl Identity {
    pub fn capture(check: IdentityCheck, fd: BorrowedFd<'_>) -> io::Result<Option<Self>> {
        if check == IdentityCheck::Off {
            return Ok(None);
        }
        let (inode, size) = sys::inode_and_size(fd)?;
        Ok(Some(Self { check, inode, size }))
    }

    pub fn verify(&self, path: &Path, fd: BorrowedFd<'_>) -> io::Result<()> {
        let (inode, size) = sys::inode_and_size(fd)?;
        let size_matters = self.check == IdentityCheck::InodeAndSize;
        if inode == self.inode && (!size_matters || size == self.size) {
            return Ok(());
        }
        Err(io::Error::other(IdentityChanged {
            path: path.to_path_buf(),
            expected_inode: self.inode,
            found_inode: inode,
            expected_size: size_matters.then_some(self.size),
            found_size: size,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reopen_never_creates_or_truncates() {
        let flags = libc::O_RDWR | libc::O_CREAT | libc::O_EXCL | libc::O_TRUNC | libc::O_APPEND;
        let safe = safe_reopen_flags(flags);
        assert_eq!(safe & libc::O_ACCMODE, libc::O_RDWR);
        assert_eq!(safe & (libc::O_CREAT | libc::O_EXCL | libc::O_TRUNC), 0);
        assert_ne!(safe & libc::O_APPEND, 0);
        assert_ne!(safe & libc::O_CLOEXEC, 0);
    }
}
