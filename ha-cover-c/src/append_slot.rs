//! Appends to one HA descriptor go one at a time.
//!
//! Threads share a descriptor, and what became of an append that met a death
//! is read from the file's growth: with two appends under way, the growth of
//! the one that landed could be credited to the other, whose caller would be
//! told its record was written while it was not. So an append holds its
//! group's slot from before its system call until it returns, its recovery
//! and resending included; the recovery function's own calls do not take it.
//!
//! The slot is a flag under a lock held only briefly, not a lock held across
//! the call: the fork handlers take the lock (as they take the group locks),
//! and the child frees a slot whose holder it does not have.

use std::sync::Arc;

use parking_lot::{ArcMutexGuard, Condvar, Mutex, RawMutex};

/// Whether an append of the group is under way.
#[derive(Debug, Default)]
pub(crate) struct AppendSlot {
    taken: Arc<Mutex<bool>>,
    freed: Condvar,
}

impl AppendSlot {
    /// Waits for the slot and takes it until the returned value is dropped.
    pub fn take(&self) -> Taken<'_> {
        let mut taken = self.taken.lock();
        while *taken {
            self.freed.wait(&mut taken);
        }
        *taken = true;
        Taken(self)
    }

    /// The lock, held by the forking thread across `fork`.
    pub fn hold(&self) -> ArcMutexGuard<RawMutex, bool> {
        self.taken.lock_arc()
    }
}

/// The slot, while an append holds it.
pub(crate) struct Taken<'a>(&'a AppendSlot);

impl Drop for Taken<'_> {
    fn drop(&mut self) {
        *self.0.taken.lock() = false;
        self.0.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn one_holder_at_a_time() {
        let slot = Arc::new(AppendSlot::default());
        let inside = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let (slot, inside) = (slot.clone(), inside.clone());
                std::thread::spawn(move || {
                    for _ in 0..200 {
                        let _taken = slot.take();
                        assert_eq!(inside.fetch_add(1, Ordering::SeqCst), 0);
                        std::thread::yield_now();
                        inside.fetch_sub(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
    }
}
