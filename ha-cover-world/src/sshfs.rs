//! A supervised sshfs mount: Debian's sshfs, the FUSE file system people
//! mount, serving a directory of an [`SshServer`] over SFTP.
//!
//! Its options make a dead daemon visible to open descriptors and keep what a
//! write acknowledged:
//! - `direct_io`: reads and writes go to sshfs, not to the page cache, so a
//!   descriptor on a dead mount fails (`ENOTCONN`, `ECONNABORTED`) instead of
//!   answering from memory;
//! - `sshfs_sync`: a write returns once the server has it. Without it sshfs
//!   acknowledges writes it has only queued: killed, it lost about 2 MB that
//!   write(2) had reported written (measured here, five kills out of five),
//!   which no recovery can send again;
//! - `dir_cache=no`: sizes and names come from the server, not a cache the
//!   previous daemon filled.
//!
//! `reconnect` is sshfs's own recovery from a lost SSH connection: the mount
//! stays, and sshfs connects again on the next request. Open files are not
//! carried over: their descriptors fail with `EIO` from then on.
//!
//! sshfs mounts at once and connects at its first request: the first open on
//! a new mount waits for the SSH handshake (about 0.2 s here).
//!
//! When the SSH connection is lost (sshd's session killed), a read sent before
//! sshfs has noticed returns 0 bytes, as if the file ended there: sshfs 3.7
//! lists a read request before sending it, and one whose send fails keeps no
//! result, which it takes for the end of the file. No reader, covered or not,
//! can tell that from the end of the file. Requests answered as sshfs goes
//! may also fail with `EIO` or `ECONNABORTED` before its mount says
//! `ENOTCONN`.

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use tempfile::TempDir;

use crate::mount;
use crate::ssh_server::SshServer;
use crate::supervisor::{Cleanup, Readiness, ServerSpec, Supervisor};

/// How the mount is made.
#[derive(Debug, Clone, Copy, Default)]
pub struct SshfsOptions {
    /// sshfs's `-o reconnect`.
    pub reconnect: bool,
}

/// A supervised sshfs mount; dropping it kills sshfs, detaches the mount and
/// removes its directories.
#[derive(Debug)]
pub struct SshfsMount {
    // Dropped first: sshfs dead and the mount detached before the directory
    // holding the mountpoint goes.
    supervisor: Supervisor,
    export: PathBuf,
    mountpoint: PathBuf,
    _dir: TempDir,
}

impl SshfsMount {
    /// Mounts a fresh directory of `server` (without `reconnect`).
    pub fn start(server: &SshServer) -> io::Result<SshfsMount> {
        Self::start_with(server, SshfsOptions::default())
    }

    /// Mounts a fresh directory of `server` as `options` say.
    pub fn start_with(server: &SshServer, options: SshfsOptions) -> io::Result<SshfsMount> {
        let dir = tempfile::Builder::new()
            .prefix("ha-fuse-sshfs-")
            .tempdir()?;
        // Canonical: compared with /proc/self/mountinfo.
        let base = dir.path().canonicalize()?;
        let (export, mountpoint) = (base.join("export"), base.join("mnt"));
        std::fs::create_dir(&export)?;
        std::fs::create_dir(&mountpoint)?;
        let addr = server.addr();
        let mut opts = format!(
            "direct_io,sshfs_sync,dir_cache=no,port={},IdentityFile={},IdentitiesOnly=yes,\
             UserKnownHostsFile={},StrictHostKeyChecking=yes,BatchMode=yes,LogLevel=ERROR",
            addr.port(),
            server.client_key().display(),
            server.known_hosts().display(),
        );
        if options.reconnect {
            opts.push_str(",reconnect");
        }
        let user = std::env::var("USER").unwrap_or_else(|_| "root".into());
        let spec = ServerSpec::new("sshfs", "sshfs", Readiness::FuseMount(mountpoint.clone()))
            // No ~/.ssh/config of the user's: the options above are all.
            .args(["-f", "-F", "/dev/null", "-o", &opts])
            .arg(format!("{user}@{}:{}", addr.ip(), export.display()))
            .arg(&mountpoint)
            .cleanup(Cleanup::DetachFuse(mountpoint.clone()))
            .log(base.join("server.log"));
        Ok(SshfsMount {
            supervisor: Supervisor::start(spec)?,
            export,
            mountpoint,
            _dir: dir,
        })
    }

    /// `rel` as seen through the mount.
    pub fn path(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.mountpoint.join(rel)
    }

    /// `rel` in the exported directory, behind sshfs's back.
    pub fn backing(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.export.join(rel)
    }

    /// Where it is mounted.
    pub fn mountpoint(&self) -> &Path {
        &self.mountpoint
    }

    /// Whether sshfs is mounted there now.
    pub fn is_mounted(&self) -> bool {
        mount::is_fuse_mounted(&self.mountpoint)
    }

    /// The supervisor: kill, wait for restarts...
    pub fn supervisor(&self) -> &Supervisor {
        &self.supervisor
    }

    /// Mounts again after sshfs gave up: without `reconnect` it exits when
    /// its connection is lost, and a restart while the server is away exits
    /// too, which the supervisor takes for a broken server. Call it once the
    /// server is back; does nothing to a mount that is up.
    pub fn revive(&self, timeout: Duration) -> io::Result<()> {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            if self.supervisor.is_ready() {
                return Ok(());
            }
            // A restart made while the server was away may still be failing:
            // it marks sshfs broken again after this request, so try again.
            self.supervisor.restart();
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.supervisor.wait_ready(left.min(Duration::from_secs(2))) {
                Ok(()) => return Ok(()),
                Err(e) if left.is_zero() => return Err(e),
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }
}
