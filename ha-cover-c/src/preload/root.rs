//! Calls made relative to a covered prefix's directory, opened and checked
//! to be on a served file system: such a call cannot land in the directory
//! underneath a detached mount.
//!
//! Checking the prefix's path (is it served?) and then making a call on a
//! path under it leaves a window: if the server dies and its mount is
//! detached between the two, the call resolves in the directory underneath
//! the mount point. An `O_CREAT` open creates a file there, which the program
//! writes successfully and which vanishes when the server mounts again; a
//! `chdir` or an `opendir` of the mount point enters or lists that other
//! directory. A descriptor of the prefix's directory names the mount it was
//! opened on for good: checked with `fstatfs` once opened, a call relative to
//! it resolves on that mount, and once the server is dead fails with
//! `ENOTCONN` (also after the mount was detached) instead of resolving
//! anywhere else; the caller then waits for the server and tries again with
//! a fresh descriptor.
//!
//! Used by the calls with such an effect: opens that create (`O_CREAT`,
//! `O_TMPFILE`, so `creat` and `fopen` for writing too), the built-in
//! recovery's reopen, `chdir`, and the open family and path-level calls on
//! the mount point itself. Other opens and path-level calls on paths under
//! it are not: a path under a detached mount names nothing (`ENOENT`, which
//! makes them wait), and they cost what they did.

use std::ffi::{CStr, CString};

use libc::c_int;

use super::{paths, stop, wait};
use crate::{errno, syscall};

/// A descriptor (`O_PATH`) of a covered prefix's directory on a served file
/// system, closed on drop.
struct Root(c_int);

impl Drop for Root {
    fn drop(&mut self) {
        let _ = syscall::close(self.0);
    }
}

/// `prefix`'s directory, if what its path names now is served; `ENOTCONN`
/// when it is not (the directory underneath a detached mount), or the error
/// of a mount that is dead or of a path that does not lead there.
fn served(prefix: &[u8]) -> Result<Root, c_int> {
    let path =
        CString::new(if prefix.is_empty() { b"/" } else { prefix }).map_err(|_| libc::ENOENT)?;
    let flags = libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC;
    let root = Root(syscall::openat(libc::AT_FDCWD, &path, flags, 0)?);
    let st = syscall::fstatfs_of(root.0)?;
    if wait::served_type(st.f_type) {
        Ok(root)
    } else {
        Err(libc::ENOTCONN)
    }
}

/// `absolute` (normalized, under `prefix`) relative to `prefix`: `.` for the
/// prefix itself; with a trailing slash when the program's path had one (it
/// asks for a directory).
fn relative(absolute: &[u8], prefix: &[u8], trailing_slash: bool) -> CString {
    let mut rel = absolute[prefix.len()..].to_vec();
    if rel.first() == Some(&b'/') {
        rel.remove(0);
    }
    if rel.is_empty() {
        rel.push(b'.');
    }
    if trailing_slash {
        rel.push(b'/');
    }
    CString::new(rel).expect("a path from a C string")
}

/// Makes `call` (a call relative to a directory descriptor, returning -1
/// with `errno` on failure) on the covered `absolute` path, relative to its
/// prefix's served directory; `stop` names the call for [`stop::before`].
pub(crate) fn at(
    absolute: &[u8],
    trailing_slash: bool,
    stop: &str,
    call: impl FnOnce(c_int, &CStr) -> c_int,
) -> Result<c_int, c_int> {
    let prefix = paths::prefix_of(absolute).ok_or(libc::ENOENT)?;
    let root = served(prefix)?;
    stop::before(stop);
    let ret = call(root.0, &relative(absolute, prefix, trailing_slash));
    if ret < 0 { Err(errno::get()) } else { Ok(ret) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_to_the_prefix() {
        assert_eq!(relative(b"/mnt/a/x/y", b"/mnt/a", false).as_bytes(), b"x/y");
        assert_eq!(relative(b"/mnt/a", b"/mnt/a", false).as_bytes(), b".");
        assert_eq!(relative(b"/mnt/a/d", b"/mnt/a", true).as_bytes(), b"d/");
        assert_eq!(relative(b"/x", b"", false).as_bytes(), b"x");
        assert_eq!(relative(b"", b"", false).as_bytes(), b".");
    }
}
