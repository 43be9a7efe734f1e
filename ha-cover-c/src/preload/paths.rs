//! Whether a path a program names is under a covered prefix, and the
//! absolute path it names.
//!
//! An absolute path is compared with the prefixes as it is (a few byte
//! comparisons for a path that is not covered) and lexically normalized only
//! when it has `//`, `.` or `..` components. A relative path is covered when
//! the directory it is relative to is: the current directory (whose coverage
//! is known since the last `chdir`), or a directory descriptor opened under a
//! covered prefix. Symbolic links are not followed: a link elsewhere that
//! leads into a covered mount is not covered.

use std::ffi::CStr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use libc::{c_char, c_int};

use super::config;
use super::registry;

/// `path` without `//`, `.` and `..` components or a trailing slash; `/` is
/// the empty string. `path` is absolute.
pub(crate) fn normalize(path: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(path.len());
    for part in path.split(|&b| b == b'/') {
        match part {
            b"" | b"." => {}
            b".." => {
                let keep = out.iter().rposition(|&b| b == b'/').unwrap_or(0);
                out.truncate(keep);
            }
            _ => {
                out.push(b'/');
                out.extend_from_slice(part);
            }
        }
    }
    out
}

/// [`irregular`], quickly: glibc's `strstr` for `//` and `/.`.
fn maybe_irregular(c_path: &CStr, path: &[u8]) -> bool {
    // SAFETY: NUL-terminated strings.
    let found =
        |needle: &CStr| !unsafe { libc::strstr(c_path.as_ptr(), needle.as_ptr()) }.is_null();
    path.ends_with(b"/") || found(c"//") || found(c"/.")
}

/// Whether an absolute path has components that [`normalize`] would change.
fn irregular(path: &[u8]) -> bool {
    path.windows(2).any(|w| w == b"//" || w == b"/.") || path.ends_with(b"/")
}

/// The covered prefix `path` (normalized, absolute) is under.
pub(crate) fn prefix_of(path: &[u8]) -> Option<&'static [u8]> {
    config::get()
        .prefixes
        .iter()
        .find(|p| under(path, p))
        .map(Vec::as_slice)
}

fn under(path: &[u8], prefix: &[u8]) -> bool {
    path.starts_with(prefix) && (path.len() == prefix.len() || path[prefix.len()] == b'/')
}

/// The absolute, normalized path of `path` (relative to `dirfd`) if it is
/// under a covered prefix. Only called when the preload mode is on.
///
/// # Safety
/// `path` is null or NUL-terminated.
pub(crate) unsafe fn resolve(dirfd: c_int, path: *const c_char) -> Option<Vec<u8>> {
    if path.is_null() {
        return None;
    }
    // SAFETY: see the function's contract.
    let c_path = unsafe { CStr::from_ptr(path) };
    let path = c_path.to_bytes();
    if path.first() == Some(&b'/') {
        // The path of every open a program makes: a few byte comparisons
        // against the prefixes, and glibc's vectorized search for the
        // components that would need normalizing.
        let prefixes = &config::get().prefixes;
        let matches = prefixes.iter().any(|p| under(path, p));
        if !matches && !maybe_irregular(c_path, path) {
            return None;
        }
        let path = if irregular(path) {
            normalize(path)
        } else {
            path.to_vec()
        };
        return prefix_of(&path).is_some().then_some(path);
    }
    if path.is_empty() {
        return None;
    }
    let base = if dirfd == libc::AT_FDCWD {
        if !CWD_COVERED.load(Ordering::Acquire) && !path.windows(2).any(|w| w == b"..") {
            // Neither under a covered directory nor climbing out of this one.
            return None;
        }
        current_dir()?
    } else {
        registry::path_of(dirfd)?
    };
    let mut joined = base;
    joined.push(b'/');
    joined.extend_from_slice(path);
    let joined = normalize(&joined);
    prefix_of(&joined).is_some().then_some(joined)
}

/// Whether the current directory is under a covered prefix.
static CWD_COVERED: AtomicBool = AtomicBool::new(false);
/// The current directory, as of the last `chdir` this library saw.
static CWD: Mutex<Vec<u8>> = Mutex::new(Vec::new());

fn current_dir() -> Option<Vec<u8>> {
    let cwd = CWD.lock().unwrap_or_else(|e| e.into_inner()).clone();
    if !cwd.is_empty() {
        return Some(cwd);
    }
    getcwd()
}

fn getcwd() -> Option<Vec<u8>> {
    let mut buf = vec![0u8; libc::PATH_MAX as usize];
    // SAFETY: `buf` is writable for its length.
    let ret = unsafe { libc::syscall(libc::SYS_getcwd, buf.as_mut_ptr(), buf.len()) };
    if ret <= 0 || buf[0] != b'/' {
        return None;
    }
    let len = buf.iter().position(|&b| b == 0)?;
    buf.truncate(len);
    Some(normalize(&buf))
}

/// Learns the current directory again, after a `chdir` or at start; when
/// the kernel cannot say (the directory's server died meanwhile), `entered`,
/// the covered path the `chdir` entered.
pub(crate) fn directory_changed(entered: Option<Vec<u8>>) {
    let Some(cwd) = getcwd().or(entered) else {
        return;
    };
    let covered = prefix_of(&cwd).is_some();
    *CWD.lock().unwrap_or_else(|e| e.into_inner()) = cwd;
    CWD_COVERED.store(covered, Ordering::Release);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizing() {
        assert_eq!(normalize(b"/"), b"");
        assert_eq!(normalize(b"/mnt//a/./b/"), b"/mnt/a/b");
        assert_eq!(normalize(b"/mnt/a/../b"), b"/mnt/b");
        assert_eq!(normalize(b"/../.."), b"");
        assert!(irregular(b"/mnt/a/../b") && irregular(b"/mnt//a") && irregular(b"/mnt/a/"));
        assert!(!irregular(b"/mnt/a.b/c"));
    }

    #[test]
    fn prefixes_end_at_a_component() {
        assert!(under(b"/mnt/a", b"/mnt/a") && under(b"/mnt/a/x", b"/mnt/a"));
        assert!(!under(b"/mnt/ab", b"/mnt/a") && !under(b"/mnt", b"/mnt/a"));
        assert!(under(b"/anything", b""));
    }
}
