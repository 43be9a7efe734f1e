//! What the engine knows of a connection and of an operation on it.

/// What kind of server is behind a connection. It selects the errors that trigger
/// recovery by default and which retransmissions are safe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// A file served by a filesystem: it has a position, reads and positioned
    /// writes can be repeated, EOF is normal.
    File,
    /// A byte stream to a peer: no position, a write may be half-received, EOF can
    /// mean the peer died.
    Socket,
}

/// The kinds of operation a cover performs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OpKind {
    /// A read at the connection's position (or from a stream).
    Read,
    /// A write at the connection's position, appended, or to a stream.
    Write,
    /// A read at an explicit offset.
    ReadAt,
    /// A write at an explicit offset.
    WriteAt,
    /// A change of the position.
    Seek,
    /// A flush of what the connection buffers, or a shutdown.
    Flush,
    /// `fsync` or `fdatasync`.
    Sync,
}

impl OpKind {
    /// Whether the operation reads data.
    pub fn reads(self) -> bool {
        matches!(self, OpKind::Read | OpKind::ReadAt)
    }

    /// Whether the operation writes data.
    pub fn writes(self) -> bool {
        matches!(self, OpKind::Write | OpKind::WriteAt)
    }
}

/// An operation, as the decisions see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpInfo {
    /// What it does.
    pub kind: OpKind,
    /// Bytes a write asked to transfer.
    pub len: usize,
}

impl OpInfo {
    /// An operation of `kind` transferring `len` bytes (0 for anything but a write).
    pub fn new(kind: OpKind, len: usize) -> Self {
        Self { kind, len }
    }
}
