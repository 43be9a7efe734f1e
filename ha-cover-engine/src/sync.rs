//! The synchronization a shared group is built on: parking_lot's, or loom's
//! models of std's under `--cfg loom`, so that loom can check the protocol.

#[cfg(not(loom))]
mod imp {
    pub(crate) use parking_lot::{Condvar, Mutex, MutexGuard};
    pub(crate) use std::sync::Arc;
    pub(crate) use std::sync::atomic::{AtomicBool, AtomicU64};

    #[inline]
    pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
        mutex.lock()
    }

    pub(crate) fn wait<'a, T>(
        condvar: &Condvar,
        mut guard: MutexGuard<'a, T>,
    ) -> MutexGuard<'a, T> {
        condvar.wait(&mut guard);
        guard
    }

    pub(crate) fn into_inner<T>(mutex: Arc<Mutex<T>>) -> Option<T> {
        Arc::into_inner(mutex).map(Mutex::into_inner)
    }
}

#[cfg(loom)]
mod imp {
    pub(crate) use loom::sync::atomic::{AtomicBool, AtomicU64};
    pub(crate) use loom::sync::{Arc, Condvar, Mutex, MutexGuard};

    pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
        // Nothing here panics while holding the lock.
        mutex.lock().unwrap()
    }

    pub(crate) fn wait<'a, T>(condvar: &Condvar, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
        condvar.wait(guard).unwrap()
    }

    pub(crate) fn into_inner<T>(mutex: Arc<Mutex<T>>) -> Option<T> {
        Arc::try_unwrap(mutex).ok().map(|m| m.into_inner().unwrap())
    }
}

pub(crate) use imp::*;
