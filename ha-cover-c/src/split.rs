//! A write to a regular file that a death split: the kernel reports the part
//! that reached the server before it died as a short count. For a regular
//! file a caller expects all or an error, and the cover knows exactly what
//! landed (the file position moved past it), so it writes the rest, which
//! meets the dead connection, recovers, and is sent again from the recovered
//! position; the caller gets the full count.
//!
//! Kept apart from the cover loop on purpose: the loop covers one system
//! call, this strings several together, and it carries over unchanged to any
//! front end that covers one call at a time.

use ha_cover_engine::OpKind;
use ha_cover_rt::Kind;
use libc::c_int;

use crate::{syscall, table};

/// Finishes a write of `len` bytes whose first system call returned `first`:
/// while the count is short and the descriptor is a regular file (or already
/// known dead), `rest(done)` writes what is left after `done` bytes, covered.
/// A rest that fails is not reported: the caller gets the count that landed,
/// as the kernel would have given it.
pub(crate) fn finish(
    fd: c_int,
    len: usize,
    first: Result<i64, c_int>,
    mut rest: impl FnMut(usize) -> Result<i64, c_int>,
) -> Result<i64, c_int> {
    let Ok(mut done) = first else {
        return first;
    };
    while done > 0 && (done as usize) < len && goes_on(fd) {
        match rest(done as usize) {
            Ok(n) if n > 0 => done += n,
            _ => break,
        }
    }
    Ok(done)
}

/// Whether a short write on `fd` is one to finish: an HA file whose server
/// is gone, or a regular file (on which only a death, a full disk or a size
/// limit stops a write short; the full disk shows itself on the rest, the size
/// limit would raise `SIGXFSZ` there, so it is left alone). Sockets, pipes and
/// terminals write short as part of their meaning: the caller's to see.
fn goes_on(fd: c_int) -> bool {
    let Some(member) = table::get(fd) else {
        return false;
    };
    let group = &member.group;
    if group.kind != Kind::File {
        return false;
    }
    match syscall::fstat(fd) {
        Ok(st) => st.st_mode & libc::S_IFMT == libc::S_IFREG && !size_limited(),
        Err(errno) => group.shared.classifier().is_failure(
            Kind::File,
            OpKind::Write,
            errno,
            &crate::cover_loop::RawProbe(fd),
        ),
    }
}

fn size_limited() -> bool {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `limit` is writable for the call.
    let ret = unsafe { libc::getrlimit(libc::RLIMIT_FSIZE, &mut limit) };
    ret != 0 || limit.rlim_cur != libc::RLIM_INFINITY
}
