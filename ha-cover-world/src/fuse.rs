//! A supervised FUSE file server: ours (`ha-fuse-server`) or Debian's bindfs.
//!
//! Both mirror a source directory at a mountpoint with direct I/O. When the
//! server is SIGKILLed, descriptors open on the mount fail with `ENOTCONN`;
//! the supervisor lazily unmounts the dead mount and starts a new server on
//! the same mountpoint, where a fresh `open` of the same path works again.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Once;

use tempfile::TempDir;

use crate::binaries::server_spec;
use crate::mount;
use crate::supervisor::{Cleanup, Readiness, ServerSpec, Supervisor};

/// Prefix of the temporary directories holding source and mountpoint.
const DIR_PREFIX: &str = "ha-fuse-";

/// Which FUSE server to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FuseImpl {
    /// `ha-fuse-server`, this crate's `fuser` passthrough.
    Fuser,
    /// Debian's `bindfs -f -o direct_io`, a server nobody here wrote.
    Bindfs,
}

/// A supervised FUSE mount of a fresh source directory, in a temporary
/// directory that is removed on drop (after the server is killed and the
/// mount detached).
#[derive(Debug)]
pub struct FuseServer {
    // Field order matters: the supervisor (kill + unmount) must be dropped
    // before the directory holding the mountpoint is removed.
    supervisor: Supervisor,
    kind: FuseImpl,
    source: PathBuf,
    mountpoint: PathBuf,
    kill_switch: Option<PathBuf>,
    _dir: TempDir,
}

impl FuseServer {
    /// Starts a server of the given kind and waits until its mount is ready.
    pub fn start(kind: FuseImpl) -> io::Result<FuseServer> {
        Self::launch(kind, false)
    }

    /// [`fuser`](Self::fuser) with a kill switch: see
    /// [`kill_at_write_offset`](Self::kill_at_write_offset).
    pub fn fuser_with_kill_switch() -> io::Result<FuseServer> {
        Self::launch(FuseImpl::Fuser, true)
    }

    /// Makes the server SIGKILL itself at the first write request that reaches
    /// file offset `mark` (once: the restarted server lives on). The write
    /// requests before it are written, that one is not, so a long `write()`
    /// meets the death at a known point. Only for
    /// [`fuser_with_kill_switch`](Self::fuser_with_kill_switch).
    pub fn kill_at_write_offset(&self, mark: u64) -> io::Result<()> {
        let switch = self.kill_switch.as_ref().ok_or_else(|| {
            io::Error::other("kill_at_write_offset needs FuseServer::fuser_with_kill_switch")
        })?;
        // Renamed into place: the server never reads half a number.
        let armed = switch.with_extension("new");
        std::fs::write(&armed, mark.to_string())?;
        std::fs::rename(&armed, switch)
    }

    /// Whether the kill switch is still armed (the server has not met its mark).
    pub fn kill_switch_armed(&self) -> bool {
        self.kill_switch.as_ref().is_some_and(|s| s.exists())
    }

    fn launch(kind: FuseImpl, with_kill_switch: bool) -> io::Result<FuseServer> {
        // Once per process, before any server of ours exists, so that only
        // other processes' leftovers can be swept.
        static SWEEP: Once = Once::new();
        SWEEP.call_once(|| match mount::sweep_dead_fuse_mounts(DIR_PREFIX) {
            Ok(swept) if !swept.is_empty() => {
                eprintln!("ha-cover world: detached dead FUSE mounts left behind: {swept:?}")
            }
            Ok(_) => {}
            Err(e) => eprintln!("ha-cover world: sweeping dead FUSE mounts: {e}"),
        });
        let dir = tempfile::Builder::new().prefix(DIR_PREFIX).tempdir()?;
        // Canonical, because it is compared with /proc/self/mountinfo, and
        // computed now, because a dead mount cannot be canonicalized.
        let base = dir.path().canonicalize()?;
        let source = base.join("src");
        let mountpoint = base.join("mnt");
        std::fs::create_dir(&source)?;
        std::fs::create_dir(&mountpoint)?;
        let kill_switch = with_kill_switch.then(|| base.join("kill-switch"));
        let spec = match kind {
            FuseImpl::Fuser => {
                let spec = server_spec("ha-fuse-server", Readiness::FuseMount(mountpoint.clone()))?
                    .arg(&source)
                    .arg(&mountpoint);
                match &kill_switch {
                    Some(switch) => spec.arg("--kill-switch").arg(switch),
                    None => spec,
                }
            }
            FuseImpl::Bindfs => {
                ServerSpec::new("bindfs", "bindfs", Readiness::FuseMount(mountpoint.clone()))
                    .args(["-f", "-o", "direct_io"])
                    .arg(&source)
                    .arg(&mountpoint)
            }
        }
        .cleanup(Cleanup::DetachFuse(mountpoint.clone()))
        .log(base.join("server.log"));
        let supervisor = Supervisor::start(spec)?;
        Ok(FuseServer {
            supervisor,
            kind,
            source,
            mountpoint,
            kill_switch,
            _dir: dir,
        })
    }

    /// [`start`](Self::start) with our `fuser` server.
    pub fn fuser() -> io::Result<FuseServer> {
        Self::start(FuseImpl::Fuser)
    }

    /// [`start`](Self::start) with bindfs.
    pub fn bindfs() -> io::Result<FuseServer> {
        Self::start(FuseImpl::Bindfs)
    }

    /// Which server this is.
    pub fn kind(&self) -> FuseImpl {
        self.kind
    }

    /// The directory the server mirrors (write here to bypass the server).
    pub fn source(&self) -> &Path {
        &self.source
    }

    /// Where the file system is mounted.
    pub fn mountpoint(&self) -> &Path {
        &self.mountpoint
    }

    /// `rel` as seen through the mount.
    pub fn path(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.mountpoint.join(rel)
    }

    /// `rel` in the source directory, behind the server's back.
    pub fn backing(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.source.join(rel)
    }

    /// The supervisor: kill, wait for restarts, change downtime...
    pub fn supervisor(&self) -> &Supervisor {
        &self.supervisor
    }
}
