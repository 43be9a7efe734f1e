//! A recovery function's new connection, as the engine needs to know it:
//! placed where it must be (an append-mode file at its end), compared with
//! the dead one, and made to follow a seek made on the dead one meanwhile.
//! The sync and the async cover's recoveries both use these.

use std::io;
use std::os::fd::BorrowedFd;

use ha_cover_engine::{Kind, Restored};

use crate::sys;

/// Places the new connection `fresh` and says what it is: an append-mode file
/// goes to its end (the next append lands there anyway, and being there keeps
/// the position meaningful for the next "did it land" check), unless it is
/// read too: its reads go on from where the recovery function put it.
pub(crate) fn place(
    kind: Kind,
    append: bool,
    dead: Option<BorrowedFd<'_>>,
    fresh: Option<BorrowedFd<'_>>,
    dead_position: Option<u64>,
) -> io::Result<Restored> {
    let mut restored = Restored {
        // A recovery function that returned a duplicate of the dead
        // connection recovered nothing.
        unchanged: match (dead, fresh) {
            (Some(a), Some(b)) => sys::same_open_file(a, b),
            _ => false,
        },
        dead_position,
        ..Restored::default()
    };
    if kind == Kind::File
        && let Some(fd) = fresh
    {
        if append {
            let (position, end) = sys::place_append(fd)?;
            restored.position = Some(position);
            restored.end = Some(end);
        } else {
            restored.position = sys::position(fd).ok();
        }
    }
    Ok(restored)
}

/// A file's position, through its descriptor (the kernel keeps a dead
/// file's).
pub(crate) fn position(fd: Option<BorrowedFd<'_>>) -> Option<u64> {
    fd.and_then(|fd| sys::position(fd).ok())
}

/// Moves a file's position (kernel-local: no server is asked).
pub(crate) fn seek(fd: Option<BorrowedFd<'_>>, at: u64) -> io::Result<()> {
    fd.map_or(Ok(()), |fd| sys::set_position(fd, at))
}

/// A seek made on the dead connection while it was recovered (it succeeds:
/// the kernel keeps the position) is followed by the new one.
pub(crate) fn follow_seeks(
    dead: Option<BorrowedFd<'_>>,
    fresh: Option<BorrowedFd<'_>>,
    dead_position: Option<u64>,
) {
    if let (Some(before), Some(now)) = (dead_position, position(dead))
        && before != now
    {
        // Best effort: a new connection that cannot seek fails its next
        // operation, and that failure recovers.
        let _ = seek(fresh, now);
    }
}
