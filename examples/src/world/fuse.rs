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

use crate::world::binaries::server_spec;
use crate::world::mount;
use crate::world::supervisor::{Cleanup, Readiness, ServerSpec, Supervisor};

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
    _dir: TempDir,
}

impl FuseServer {
    /// Starts a server of the given kind and waits until its mount is ready.
    pub fn start(kind: FuseImpl) -> io::Result<FuseServer> {
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
        let spec = match kind {
            FuseImpl::Fuser => {
                server_spec("ha-fuse-server", Readiness::FuseMount(mountpoint.clone()))?
                    .arg(&source)
                    .arg(&mountpoint)
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
