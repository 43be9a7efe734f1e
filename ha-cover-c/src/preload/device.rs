//! One device number for each covered prefix, whatever mount serves it.
//!
//! Each time a FUSE server mounts again, the kernel gives the mount a new
//! anonymous device number, so a file's `(st_dev, st_ino)` changes across a
//! restart, and programs that compare them (`cp` checks the file it opened is
//! the one it stat'ed: "replaced while being copied"; `tar`, `rsync -H` and
//! `find` keep them) take the same file for another one. Under a covered
//! prefix the preload mode reports a device number of its own instead: major
//! 0 (anonymous, like FUSE's) and a minor above the kernel's 20-bit range, so
//! it is no other file system's; derived from the prefix, so that every
//! preloaded process reports the same. Devices with a major number (a disk
//! mounted inside the prefix) are left as they are.

use super::{paths, registry};

/// The minor number reported for `prefix`.
fn minor(prefix: &[u8]) -> u32 {
    // FNV-1a: stable across processes and builds.
    let hash = prefix.iter().fold(0x811c_9dc5_u32, |h, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    0x4841_0000 | (hash & 0xffff)
}

/// Rewrites the device of `st`, the status of the covered `path`.
pub(crate) fn fix_stat(st: &mut libc::stat, path: &[u8]) {
    if libc::major(st.st_dev) != 0 {
        return;
    }
    if let Some(prefix) = paths::prefix_of(path) {
        st.st_dev = libc::makedev(0, minor(prefix));
    }
}

/// Rewrites the device of `stx`, the status of the covered `path`.
pub(crate) fn fix_statx(stx: &mut libc::statx, path: &[u8]) {
    if stx.stx_dev_major != 0 {
        return;
    }
    if let Some(prefix) = paths::prefix_of(path) {
        stx.stx_dev_minor = minor(prefix);
    }
}

/// [`fix_stat`] for a descriptor the preload mode covers.
///
/// # Safety
/// `st` is null or points to a `struct stat` the kernel just filled.
pub(crate) unsafe fn fix_stat_of(fd: libc::c_int, st: *mut libc::stat) {
    if st.is_null() {
        return;
    }
    if let Some(entry) = registry::entry_of(fd) {
        // SAFETY: see the function's contract.
        fix_stat(unsafe { &mut *st }, &entry.path);
    }
}

/// [`fix_statx`] for a descriptor the preload mode covers.
///
/// # Safety
/// `stx` is null or points to a `struct statx` the kernel just filled.
pub(crate) unsafe fn fix_statx_of(fd: libc::c_int, stx: *mut libc::statx) {
    if stx.is_null() {
        return;
    }
    if let Some(entry) = registry::entry_of(fd) {
        // SAFETY: see the function's contract.
        fix_statx(unsafe { &mut *stx }, &entry.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_minor_per_prefix_outside_the_kernels_range() {
        let a = minor(b"/mnt/a");
        assert_eq!(a, minor(b"/mnt/a"));
        assert_ne!(a, minor(b"/mnt/b"));
        assert!(a >= 1 << 20);
    }
}
