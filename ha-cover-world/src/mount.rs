//! What is mounted where, and how to get rid of a dead FUSE mount.
//!
//! A SIGKILLed FUSE server leaves its mount behind: every access to it gives
//! `ENOTCONN` until it is unmounted. Only a lazy unmount (`MNT_DETACH`) works
//! while clients still hold descriptors on it, and it leaves those descriptors
//! dead, which is exactly the failure the covers must recover from.

use std::ffi::CString;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// One line of `/proc/self/mountinfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountEntry {
    /// Where it is mounted.
    pub mount_point: PathBuf,
    /// The file system type, e.g. `fuse`, `fuse.bindfs`, `ext4`.
    pub fs_type: String,
    /// The mount source, e.g. `/dev/fuse` or the name a FUSE server chose.
    pub source: String,
}

impl MountEntry {
    /// Whether the mount is served by a FUSE daemon.
    pub fn is_fuse(&self) -> bool {
        self.fs_type == "fuse" || self.fs_type == "fuseblk" || self.fs_type.starts_with("fuse.")
    }
}

/// The mounts of this process's mount namespace, in mount order.
pub fn mounts() -> io::Result<Vec<MountEntry>> {
    let text = std::fs::read_to_string("/proc/self/mountinfo")?;
    Ok(text.lines().filter_map(parse_line).collect())
}

/// The FUSE mounts at `dir` or below it.
pub fn fuse_mounts_under(dir: &Path) -> io::Result<Vec<MountEntry>> {
    Ok(mounts()?
        .into_iter()
        .filter(|m| m.is_fuse() && m.mount_point.starts_with(dir))
        .collect())
}

/// Whether a FUSE file system (live or dead) is mounted at `path`.
pub fn is_fuse_mounted(path: &Path) -> bool {
    mounts()
        .map(|all| all.iter().any(|m| m.is_fuse() && m.mount_point == path))
        .unwrap_or(false)
}

/// Lazily unmounts the FUSE mounts at `path` (stacked ones too). Returns how
/// many were detached.
pub fn detach_fuse(path: &Path) -> io::Result<usize> {
    let mut detached = 0;
    // A few rounds only: each round removes the top mount, and a mount that
    // refuses to go must not turn into an endless loop.
    while is_fuse_mounted(path) && detached < 16 {
        match lazy_unmount(path) {
            Ok(()) => detached += 1,
            // Detached meanwhile by someone else: another test process's
            // sweep of dead mounts takes a server's mount that its
            // supervisor has not cleaned up yet for a leftover.
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) && !is_fuse_mounted(path) => break,
            Err(e) => return Err(e),
        }
    }
    Ok(detached)
}

/// Detaches the dead FUSE mounts (a `stat` says `ENOTCONN`) at
/// `<temp dir>/<prefix>*/mnt`: what a test process killed outright leaves,
/// since its supervisors never got to clean up. Returns the paths detached.
///
/// Live mounts are left alone, so this is safe while other processes run
/// their own servers; a mount caught between its server's death and its own
/// supervisor's cleanup is detached a little early, which that cleanup
/// tolerates.
pub fn sweep_dead_fuse_mounts(prefix: &str) -> io::Result<Vec<PathBuf>> {
    let tmp = std::env::temp_dir().canonicalize()?;
    let mut swept = Vec::new();
    for m in fuse_mounts_under(&tmp)? {
        let ours = m.mount_point.file_name() == Some("mnt".as_ref())
            && m.mount_point.parent().and_then(Path::parent) == Some(tmp.as_path())
            && m.mount_point
                .parent()
                .and_then(Path::file_name)
                .is_some_and(|d| d.as_bytes().starts_with(prefix.as_bytes()));
        if ours && is_dead(&m.mount_point) && detach_fuse(&m.mount_point)? > 0 {
            swept.push(m.mount_point);
        }
    }
    Ok(swept)
}

/// Whether `stat` through the mount says `ENOTCONN`. A stopped or hung
/// server makes `stat` block, so it runs on a thread given up on after a
/// moment (that thread ends when the server answers or dies).
fn is_dead(mount_point: &Path) -> bool {
    let (tx, rx) = std::sync::mpsc::channel();
    let path = mount_point.to_path_buf();
    std::thread::spawn(move || {
        let dead = std::fs::metadata(path).is_err_and(|e| e.raw_os_error() == Some(libc::ENOTCONN));
        let _ = tx.send(dead);
    });
    rx.recv_timeout(Duration::from_millis(200)).unwrap_or(false)
}

/// `umount2(path, MNT_DETACH)`, through `fusermount3 -u -z` when we are not
/// allowed to unmount ourselves.
pub fn lazy_unmount(path: &Path) -> io::Result<()> {
    let c_path = CString::new(path.as_os_str().as_bytes())
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    // SAFETY: `c_path` is a valid NUL-terminated string that outlives the call.
    let rc = unsafe { libc::umount2(c_path.as_ptr(), libc::MNT_DETACH) };
    if rc == 0 {
        return Ok(());
    }
    let err = io::Error::last_os_error();
    if err.raw_os_error() != Some(libc::EPERM) {
        return Err(err);
    }
    let status = Command::new("fusermount3")
        .args(["-u", "-z", "--"])
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?;
    if status.success() {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "fusermount3 -u -z {} failed: {status}",
            path.display()
        )))
    }
}

fn parse_line(line: &str) -> Option<MountEntry> {
    let mut fields = line.split(' ');
    let mount_point = fields.nth(4)?;
    // Optional fields run up to a lone "-"; the type and source follow it.
    let mut rest = fields.skip_while(|f| *f != "-").skip(1);
    let fs_type = rest.next()?;
    let source = rest.next()?;
    Some(MountEntry {
        mount_point: PathBuf::from(std::ffi::OsStr::from_bytes(&unescape(mount_point))),
        fs_type: String::from_utf8_lossy(&unescape(fs_type)).into_owned(),
        source: String::from_utf8_lossy(&unescape(source)).into_owned(),
    })
}

/// The kernel writes space, tab, newline and backslash as `\ooo`.
fn unescape(field: &str) -> Vec<u8> {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes
            .get(i + 1..i + 4)
            .filter(|d| bytes[i] == b'\\' && d.iter().all(|c| (b'0'..=b'7').contains(c)));
        match octal {
            Some(d) => {
                out.push(
                    d.iter()
                        .fold(0u8, |acc, c| acc.wrapping_mul(8) + (c - b'0')),
                );
                i += 4;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_mountinfo_lines() {
        let line =
            "36 35 0:52 / /tmp/a\\040b rw,nosuid shared:1 master:2 - fuse.bindfs src\\134x rw";
        let m = parse_line(line).unwrap();
        assert_eq!(m.mount_point, PathBuf::from("/tmp/a b"));
        assert_eq!(m.fs_type, "fuse.bindfs");
        assert_eq!(m.source, "src\\x");
        assert!(m.is_fuse());
        let plain = parse_line("1 0 8:1 / / rw - ext4 /dev/vda rw").unwrap();
        assert!(!plain.is_fuse());
    }
}
