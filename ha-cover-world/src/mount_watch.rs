//! Timestamps of a mount coming back, taken when the kernel reports the mount
//! table changed (`POLLPRI` on `/proc/self/mountinfo`), not by polling: for
//! measuring how long a file server was really down.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::fd::AsRawFd;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

use crate::mount::is_fuse_mounted;

/// Records every moment a FUSE mount appears at a path, until dropped.
#[derive(Debug)]
pub struct MountWatch {
    stop: Arc<AtomicBool>,
    appeared: Arc<Mutex<Vec<Instant>>>,
    thread: Option<JoinHandle<()>>,
}

impl MountWatch {
    /// Starts watching `mountpoint`.
    pub fn start(mountpoint: PathBuf) -> std::io::Result<Self> {
        let mut table = File::open("/proc/self/mountinfo")?;
        let stop = Arc::new(AtomicBool::new(false));
        let appeared = Arc::new(Mutex::new(Vec::new()));
        let (thread_stop, thread_appeared) = (Arc::clone(&stop), Arc::clone(&appeared));
        let thread = std::thread::spawn(move || {
            let mut mounted = is_fuse_mounted(&mountpoint);
            let mut sink = Vec::new();
            while !thread_stop.load(Ordering::Relaxed) {
                // The kernel reports a change to a reader that has read the
                // table since the last one.
                let _ = table.seek(SeekFrom::Start(0));
                sink.clear();
                let _ = table.read_to_end(&mut sink);
                let mut fd = libc::pollfd {
                    fd: table.as_raw_fd(),
                    events: libc::POLLPRI,
                    revents: 0,
                };
                // SAFETY: `fd` is a valid pollfd for the call.
                if unsafe { libc::poll(&mut fd, 1, 50) } <= 0 {
                    continue;
                }
                let now = Instant::now();
                let is = is_fuse_mounted(&mountpoint);
                if is && !mounted {
                    thread_appeared.lock().unwrap().push(now);
                }
                mounted = is;
            }
        });
        Ok(Self {
            stop,
            appeared,
            thread: Some(thread),
        })
    }

    /// The moments the mount appeared, oldest first.
    pub fn appearances(&self) -> Vec<Instant> {
        self.appeared.lock().unwrap().clone()
    }
}

impl Drop for MountWatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
