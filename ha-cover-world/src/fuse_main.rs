//! The `ha-fuse-server` program:
//! `ha-fuse-server SOURCE MOUNTPOINT [--threads N] [--kill-switch FILE]`
//! (see [`PassthroughFs::with_kill_switch`]).
//!
//! Serves a passthrough of SOURCE at MOUNTPOINT with direct I/O, in the
//! foreground, until SIGTERM/SIGINT/SIGHUP (then it unmounts and exits 0) or
//! until the file system is unmounted by someone else. SIGKILL leaves a dead
//! mount behind, whose open descriptors give `ENOTCONN`: that is the point.

use std::ffi::{CString, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::Mutex;

use crate::fuse_fs::PassthroughFs;
use fuser::{Config, MountOption};

/// Taken by whichever thread ends the process, never released: two threads
/// calling `exit` at once is undefined behaviour in C.
static EXITING: Mutex<()> = Mutex::new(());

/// Runs the server with `args` (without the program name) until it is told to
/// stop or killed.
pub fn main(args: Vec<OsString>) -> ExitCode {
    let args = match Args::parse(args) {
        Ok(args) => args,
        Err(msg) => {
            eprintln!("ha-fuse-server: {msg}");
            eprintln!("usage: ha-fuse-server SOURCE MOUNTPOINT [--threads N] [--kill-switch FILE]");
            return ExitCode::from(2);
        }
    };
    let signals = block_termination_signals();
    let fs = match PassthroughFs::new(&args.source) {
        Ok(fs) => match args.kill_switch {
            Some(switch) => fs.with_kill_switch(switch),
            None => fs,
        },
        Err(e) => {
            eprintln!("ha-fuse-server: {}: {e}", args.source.display());
            return ExitCode::FAILURE;
        }
    };
    let mut config = Config::default();
    config.mount_options = vec![
        MountOption::FSName(format!("ha-fuse:{}", args.source.display())),
        MountOption::Subtype("ha-fuse".to_owned()),
        MountOption::RW,
    ];
    config.n_threads = Some(args.threads);
    let session = match fuser::spawn_mount(fs, &args.mountpoint, &config) {
        Ok(session) => session,
        Err(e) => {
            eprintln!(
                "ha-fuse-server: mount at {}: {e}",
                args.mountpoint.display()
            );
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "ha-fuse-server: pid {} serving {} at {} ready_ns={}",
        std::process::id(),
        args.source.display(),
        args.mountpoint.display(),
        crate::clock::monotonic_ns()
    );
    // The session ends by itself when someone else unmounts us.
    std::thread::spawn(move || {
        let result = session.join();
        let _guard = EXITING.lock();
        if let Err(e) = result {
            eprintln!("ha-fuse-server: session ended: {e}");
            std::process::exit(1);
        }
        std::process::exit(0);
    });
    let signal = wait_for(&signals);
    let _guard = EXITING.lock();
    eprintln!("ha-fuse-server: signal {signal}, unmounting");
    if let Err(e) = unmount(&args.mountpoint) {
        eprintln!("ha-fuse-server: unmount {}: {e}", args.mountpoint.display());
        std::process::exit(1);
    }
    // Not joining the session: after a lazy unmount it lives as long as
    // clients keep files open, and they get ENOTCONN once we are gone.
    std::process::exit(0);
}

struct Args {
    source: PathBuf,
    mountpoint: PathBuf,
    threads: usize,
    kill_switch: Option<PathBuf>,
}

impl Args {
    fn parse(args: Vec<OsString>) -> Result<Args, String> {
        let mut positional = Vec::new();
        let mut threads = 2;
        let mut kill_switch = None;
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "--threads" {
                threads = args
                    .next()
                    .and_then(|n| n.to_str()?.parse().ok())
                    .filter(|n| *n > 0)
                    .ok_or("--threads needs a positive number")?;
            } else if arg == "--kill-switch" {
                kill_switch = Some(PathBuf::from(
                    args.next().ok_or("--kill-switch needs a file")?,
                ));
            } else {
                positional.push(PathBuf::from(arg));
            }
        }
        let [source, mountpoint] = <[PathBuf; 2]>::try_from(positional)
            .map_err(|_| "expected SOURCE and MOUNTPOINT".to_owned())?;
        Ok(Args {
            source,
            mountpoint,
            threads,
            kill_switch,
        })
    }
}

/// Blocks the termination signals in this thread and, since the mask is
/// inherited, in every thread spawned after it, so that only `sigwait` in
/// `main` receives them.
fn block_termination_signals() -> libc::sigset_t {
    // SAFETY: an all-zero sigset_t is valid storage; sigemptyset initializes it.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: `set` is valid for writes; the signal numbers are valid.
    unsafe {
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGTERM);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::sigaddset(&mut set, libc::SIGHUP);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
    set
}

fn wait_for(set: &libc::sigset_t) -> libc::c_int {
    let mut signal = 0;
    // SAFETY: `set` is an initialized signal set and `signal` valid for writes.
    while unsafe { libc::sigwait(set, &mut signal) } != 0 {}
    signal
}

/// A plain unmount, or a lazy one while clients hold files open (EBUSY), or
/// fusermount3's when we are not root.
fn unmount(mountpoint: &Path) -> std::io::Result<()> {
    let path = CString::new(mountpoint.as_os_str().as_bytes())?;
    for flags in [0, libc::MNT_DETACH] {
        // SAFETY: `path` is a valid NUL-terminated string.
        if unsafe { libc::umount2(path.as_ptr(), flags) } == 0 {
            return Ok(());
        }
        let err = std::io::Error::last_os_error();
        match err.raw_os_error() {
            Some(libc::EBUSY) => continue,
            Some(libc::EPERM) => break,
            _ => return Err(err),
        }
    }
    let status = Command::new("fusermount3")
        .args(["-u", "-z", "--"])
        .arg(mountpoint)
        .status()?;
    if status.success() {
        Ok(())
    } else {
        Err(std::io::Error::other(format!(
            "fusermount3 -u -z: {status}"
        )))
    }
}
