//! A group shared by several members (a connection and its dups, on any
//! threads or tasks): the group behind a lock that is never held across I/O or
//! user code, its epoch readable without the lock, and the two ways a member
//! waits for the recovery in flight (blocking, or as a task).

use std::ops::{Deref, DerefMut};
use std::sync::atomic::Ordering;
use std::task::{Context, Poll, Waker};

use crate::classify::Classifier;
use crate::group::Group;
use crate::sync::{self, Arc, AtomicBool, AtomicU64, Condvar, Mutex, MutexGuard};

/// A group and a front end's own state for it (`X`: the handle, the
/// recovery function, the newest connection...), shared by its members.
pub struct Shared<X> {
    /// The group's epoch, published when a cycle ends: one load tells a member
    /// whether anything happened since its last operation.
    epoch: AtomicU64,
    /// Whether the ledger holds unanswered bytes, so that a read on a socket
    /// only takes the lock when there is something to answer.
    unanswered: AtomicBool,
    /// Whether a recovery is in flight: a front end whose members all move
    /// at once (the C ABI) holds back what must not run during one.
    recovering: AtomicBool,
    /// Fixed when the group was made: the path with no failure classifies
    /// without the lock.
    classifier: Classifier,
    state: Arc<Mutex<Inner<X>>>,
    ended: Condvar,
}

/// What the lock protects.
pub struct Inner<X> {
    /// The engine's state.
    pub group: Group,
    /// The front end's.
    pub ext: X,
    /// Tasks waiting for the cycle in flight to end.
    wakers: Vec<Waker>,
}

/// The locked group. Dropping it publishes what changed: a cycle that ended
/// wakes every member waiting for it.
pub struct Guard<'a, X> {
    shared: &'a Shared<X>,
    inner: Option<MutexGuard<'a, Inner<X>>>,
    epoch: u64,
}

impl<X> Shared<X> {
    /// Shares `group`, with the front end's `ext`.
    pub fn new(group: Group, ext: X) -> Self {
        Self {
            epoch: AtomicU64::new(group.epoch()),
            unanswered: AtomicBool::new(group.ledger().unanswered() > 0),
            recovering: AtomicBool::new(group.is_recovering()),
            classifier: group.classifier(),
            state: Arc::new(Mutex::new(Inner {
                group,
                ext,
                wakers: Vec::new(),
            })),
            ended: Condvar::new(),
        }
    }

    /// How results are classified, without the lock.
    #[inline]
    pub fn classifier(&self) -> Classifier {
        self.classifier
    }

    /// The group and the front end's state, when this was the last reference
    /// to them.
    pub fn into_inner(self) -> Option<Inner<X>> {
        sync::into_inner(self.state)
    }

    /// The group's epoch, without the lock.
    #[inline]
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Locks the group. Never hold it across I/O or a call of user code.
    pub fn lock(&self) -> Guard<'_, X> {
        let inner = sync::lock(&self.state);
        let epoch = inner.group.epoch();
        Guard {
            shared: self,
            inner: Some(inner),
            epoch,
        }
    }

    /// Whether a recovery is in flight, without the lock.
    #[inline]
    pub fn is_recovering(&self) -> bool {
        self.recovering.load(Ordering::Acquire)
    }

    /// Whether the ledger holds unanswered bytes (a read then has something
    /// to note), without the lock.
    #[inline(always)]
    pub fn has_unanswered(&self) -> bool {
        self.unanswered.load(Ordering::Relaxed)
    }

    /// A read on a socket returned `n` bytes: it answers what was sent.
    #[inline(always)]
    pub fn note_read(&self, n: usize) {
        if n > 0 && self.unanswered.load(Ordering::Relaxed) {
            self.answered(n);
        }
    }

    #[cold]
    #[inline(never)]
    fn answered(&self, n: usize) {
        self.lock().group.note_read(n);
    }

    /// A write on a socket sent `bytes`.
    pub fn note_sent(&self, bytes: &[u8]) {
        if !bytes.is_empty() {
            self.lock().group.note_sent(bytes);
        }
    }

    /// Ready once the cycle that was in flight when the member saw epoch `seen`
    /// has ended; registers the task to be woken otherwise.
    pub fn poll_ended(&self, cx: &mut Context<'_>, seen: u64) -> Poll<()> {
        let mut guard = self.lock();
        if guard.group.epoch() != seen || !guard.group.is_recovering() {
            return Poll::Ready(());
        }
        if !guard.wakers.iter().any(|w| w.will_wake(cx.waker())) {
            guard.wakers.push(cx.waker().clone());
        }
        Poll::Pending
    }
}

#[cfg(not(loom))]
impl<X> Shared<X> {
    /// Holds the lock with no borrow of `self`: what a `fork` handler keeps
    /// between the parent's `prepare` and the `parent`/`child` handlers, so
    /// that no other thread holds it when the process forks.
    pub fn hold(&self) -> Held<X> {
        Held {
            inner: self.state.lock_arc(),
        }
    }

    /// Publishes what was changed under a [`Held`] lock once it is released.
    pub fn publish_held(&self) {
        let guard = self.lock();
        let epoch = guard.group.epoch();
        self.recovering
            .store(guard.group.is_recovering(), Ordering::Release);
        drop(guard);
        self.epoch.store(epoch, Ordering::Release);
        self.ended.notify_all();
    }
}

/// The lock, held with no borrow (see [`Shared::hold`]).
#[cfg(not(loom))]
pub struct Held<X> {
    inner: parking_lot::ArcMutexGuard<parking_lot::RawMutex, Inner<X>>,
}

#[cfg(not(loom))]
impl<X> Deref for Held<X> {
    type Target = Inner<X>;
    fn deref(&self) -> &Inner<X> {
        &self.inner
    }
}

#[cfg(not(loom))]
impl<X> DerefMut for Held<X> {
    fn deref_mut(&mut self) -> &mut Inner<X> {
        &mut self.inner
    }
}

impl<X> Guard<'_, X> {
    /// Waits, blocking the thread, until the cycle in flight when the member
    /// saw epoch `seen` has ended.
    pub fn wait_for_end(mut self, seen: u64) -> Self {
        loop {
            let inner = self.inner.take().expect("held until dropped");
            if inner.group.epoch() != seen || !inner.group.is_recovering() {
                self.inner = Some(inner);
                return self;
            }
            let inner = sync::wait(&self.shared.ended, inner);
            self.epoch = inner.group.epoch();
            self.inner = Some(inner);
        }
    }
}

impl<X> Deref for Guard<'_, X> {
    type Target = Inner<X>;
    fn deref(&self) -> &Inner<X> {
        self.inner.as_ref().expect("held until dropped")
    }
}

impl<X> DerefMut for Guard<'_, X> {
    fn deref_mut(&mut self) -> &mut Inner<X> {
        self.inner.as_mut().expect("held until dropped")
    }
}

impl<X> Drop for Guard<'_, X> {
    fn drop(&mut self) {
        let Some(mut inner) = self.inner.take() else {
            return;
        };
        let shared = self.shared;
        shared
            .unanswered
            .store(inner.group.ledger().unanswered() > 0, Ordering::Relaxed);
        shared
            .recovering
            .store(inner.group.is_recovering(), Ordering::Release);
        let events = inner.group.take_events();
        if inner.group.epoch() == self.epoch {
            drop(inner);
            events.deliver();
            return;
        }
        shared.epoch.store(inner.group.epoch(), Ordering::Release);
        let wakers = std::mem::take(&mut inner.wakers);
        drop(inner);
        shared.ended.notify_all();
        for waker in wakers {
            waker.wake();
        }
        events.deliver();
    }
}

impl<X> std::fmt::Debug for Inner<X> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inner")
            .field("group", &self.group)
            .finish_non_exhaustive()
    }
}

impl<X> std::fmt::Debug for Guard<'_, X> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

#[cfg(not(loom))]
impl<X> std::fmt::Debug for Held<X> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl<X> std::fmt::Debug for Shared<X> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("epoch", &self.epoch())
            .finish_non_exhaustive()
    }
}
