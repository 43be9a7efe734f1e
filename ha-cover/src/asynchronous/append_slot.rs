//! The append slot of an async group: its members' appends go one at a time.
//!
//! What became of an append that met a death is read from the file's growth,
//! which is only that append's doing if no other was under way: with two, the
//! growth of the one that landed could be credited to the other, whose caller
//! would be told its record was written while it was not. A member takes the
//! slot before its write runs and keeps it until the write returns (its
//! recovery and resending included). A write whose future was dropped keeps
//! it until the member's next operation returns (the file finishes the
//! abandoned write first) or the member is dropped: its bytes may still be
//! on their way. The group's own recovery function, appending through a
//! member, does not wait for it: its write fails on the dead connection (and
//! is not recovered again), and the append holding the slot waits for that
//! recovery.

use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

/// Shared by the members of a group on a file opened `O_APPEND`.
#[derive(Debug, Default)]
pub(crate) struct AppendSlot {
    state: Mutex<SlotState>,
}

#[derive(Debug, Default)]
struct SlotState {
    taken: bool,
    waiting: Vec<Waker>,
}

impl AppendSlot {
    /// Takes the slot, or has the task woken when it is let go.
    pub fn poll_take(self: &Arc<Self>, cx: &mut Context<'_>) -> Poll<AppendTurn> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.taken {
            if !state.waiting.iter().any(|w| w.will_wake(cx.waker())) {
                state.waiting.push(cx.waker().clone());
            }
            return Poll::Pending;
        }
        state.taken = true;
        Poll::Ready(AppendTurn(Arc::clone(self)))
    }
}

/// The slot, while a member's append holds it; let go when dropped.
#[derive(Debug)]
pub(crate) struct AppendTurn(Arc<AppendSlot>);

impl Drop for AppendTurn {
    fn drop(&mut self) {
        let waiting = {
            let mut state = self.0.state.lock().unwrap_or_else(PoisonError::into_inner);
            state.taken = false;
            std::mem::take(&mut state.waiting)
        };
        // Every waiter polls again and one takes the slot: the others wait
        // anew. A waiter whose future was dropped is not left holding a wakeup
        // the next one needed.
        for waker in waiting {
            waker.wake();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::task::Wake;

    struct Flag(AtomicBool);

    impl Wake for Flag {
        fn wake(self: Arc<Self>) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    #[test]
    fn a_second_taker_waits_and_is_woken_when_the_first_lets_go() {
        let slot = Arc::new(AppendSlot::default());
        let flag = Arc::new(Flag(AtomicBool::new(false)));
        let waker = Waker::from(Arc::clone(&flag));
        let mut cx = Context::from_waker(&waker);
        let Poll::Ready(first) = slot.poll_take(&mut cx) else {
            panic!("a free slot is taken at once")
        };
        assert!(slot.poll_take(&mut cx).is_pending());
        assert!(!flag.0.load(Ordering::SeqCst));
        drop(first);
        assert!(flag.0.load(Ordering::SeqCst), "the waiter is woken");
        assert!(slot.poll_take(&mut cx).is_ready());
    }
}
