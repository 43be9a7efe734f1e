//! The client's handle: the state a recovery needs, kept up to date as I/O succeeds.

/// One successful transfer on a covered connection, as told to the handle.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Transfer<'a> {
    /// Bytes read at the connection's position, which advanced past them.
    Read(&'a [u8]),
    /// Bytes written at the connection's position (or appended), which advanced
    /// past them.
    Written(&'a [u8]),
    /// The position was set to this offset.
    Seeked(u64),
    /// Bytes read at an explicit offset; the position did not move.
    ReadAt {
        /// Where they were read.
        offset: u64,
        /// The bytes.
        data: &'a [u8],
    },
    /// Bytes written at an explicit offset; the position did not move.
    WrittenAt {
        /// Where they were written.
        offset: u64,
        /// The bytes.
        data: &'a [u8],
    },
}

/// The client's handle on a covered connection: QNX's `rhdl`, the state a recovery
/// function is given.
///
/// The cover tells the handle about every successful transfer, so state such as
/// the offset to seek back to is captured without code in the caller, and about
/// every successful recovery. `#[derive(Recoverable)]` writes this for a struct
/// from field roles; by hand it looks like this:
///
/// ```
/// use ha_cover::{Recoverable, Transfer};
///
/// #[derive(Default)]
/// struct Handle { nr: u32, curr_offset: u64 }
///
/// impl Recoverable for Handle {
///     fn on_transfer(&mut self, transfer: Transfer<'_>) {
///         match transfer {
///             Transfer::Read(bytes) | Transfer::Written(bytes) => self.curr_offset += bytes.len() as u64,
///             Transfer::Seeked(to) => self.curr_offset = to,
///             _ => {}
///         }
///     }
///     fn on_recovered(&mut self) {
///         self.nr += 1;
///     }
/// }
/// ```
///
/// The handle is shared by a connection and all its dups. Until the first
/// [`dup`](crate::Cover::dup) it is owned by the one cover and costs nothing to
/// update; after it, updates take the group's lock, and operations that move a
/// file's position hold that lock across the system call so the handle always
/// matches the kernel's position (the kernel serializes them on a shared file
/// anyway). Handles that ignore transfers set
/// [`OBSERVES_TRANSFERS`](Self::OBSERVES_TRANSFERS) to `false` and skip that.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the handle of a covered connection",
    label = "not a `Recoverable` handle",
    note = "derive it with `#[derive(ha_cover::Recoverable)]`, or write `impl ha_cover::Recoverable for {Self} {{}}` when it keeps no connection state"
)]
pub trait Recoverable: Send + 'static {
    /// Whether [`on_transfer`](Self::on_transfer) does anything. When `false`, dups
    /// of a connection never take a lock on the path with no failure.
    const OBSERVES_TRANSFERS: bool = true;

    /// Whether a cover's first connection is made by its recovery function
    /// too (after the constructor's own open or connect, which it replaces),
    /// so that a handshake in the recovery (an `after` hook: a login, a
    /// `SELECT`) runs on the first connection as on every reconnected one.
    /// `#[recoverable(..., on_connect)]` sets it; a builder's
    /// [`on_connect`](crate::Builder::on_connect) overrides it.
    const ON_CONNECT: bool = false;

    /// Called after every successful transfer, before the operation returns.
    #[inline]
    fn on_transfer(&mut self, transfer: Transfer<'_>) {
        let _ = transfer;
    }

    /// Called after every successful recovery, before the failed operation is
    /// retransmitted.
    #[inline]
    fn on_recovered(&mut self) {}
}

/// No handle: the recovery function keeps what it needs in its own closure.
impl Recoverable for () {
    const OBSERVES_TRANSFERS: bool = false;
}
