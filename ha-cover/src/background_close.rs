//! Closing dead connections off the caller's path.
//!
//! Closing can take far longer than the operation a recovery retransmits: the
//! last descriptor on a dead FUSE mount frees the whole detached mount (about a
//! tenth of a millisecond), and an inotify instance waits for an RCU grace
//! period (milliseconds). The cover hands such things to one background thread,
//! started on the first recovery, so the caller's operation returns as soon as
//! it has been retransmitted. They are closed microseconds later; nothing is
//! kept.

use std::sync::mpsc::{self, Sender, SyncSender};
use std::sync::{Mutex, OnceLock, PoisonError};

enum Job {
    Drop(Box<dyn Send>),
    Flush(SyncSender<()>),
}

fn reaper() -> Option<&'static Mutex<Sender<Job>>> {
    static REAPER: OnceLock<Option<Mutex<Sender<Job>>>> = OnceLock::new();
    static PID: OnceLock<u32> = OnceLock::new();
    // The child of a fork has no reaper thread (and its sender's lock may
    // have been held by a thread it does not have): it closes in place.
    if *PID.get_or_init(std::process::id) != std::process::id() {
        return None;
    }
    REAPER
        .get_or_init(|| {
            let (send, receive) = mpsc::channel::<Job>();
            let spawned = std::thread::Builder::new()
                .name("ha-cover-reaper".into())
                .spawn(move || {
                    for job in receive {
                        match job {
                            Job::Drop(item) => drop(item),
                            Job::Flush(done) => {
                                let _ = done.send(());
                            }
                        }
                    }
                });
            spawned.ok().map(|_| Mutex::new(send))
        })
        .as_ref()
}

/// Drops `item` on the background-close thread, or here if there is none.
#[doc(hidden)]
pub fn close_later<T: Send + 'static>(item: T) {
    let Some(reaper) = reaper() else {
        return drop(item);
    };
    let sender = reaper.lock().unwrap_or_else(PoisonError::into_inner);
    if let Err(mpsc::SendError(Job::Drop(item))) = sender.send(Job::Drop(Box::new(item))) {
        drop(item);
    }
}

/// Waits until the dead connections of recoveries made so far are closed.
///
/// A recovery closes the connection it replaced on a background thread, just
/// after the failed operation was retransmitted, so that the operation does not
/// wait for the close (the last descriptor on a dead FUSE mount frees the whole
/// mount). Tests that count a process's descriptors call this first.
pub fn wait_for_closes() {
    let Some(reaper) = reaper() else { return };
    let (done, wait) = mpsc::sync_channel(1);
    let sent = reaper
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .send(Job::Flush(done));
    if sent.is_ok() {
        let _ = wait.recv();
    }
}
