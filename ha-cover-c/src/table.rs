//! Which descriptors are HA-aware: a table indexed by descriptor number, read
//! without a lock by every interposed call.
//!
//! A call on a descriptor that is not HA-aware costs two loads here: the chunk
//! its number falls in (null until some descriptor in that range was made
//! HA-aware) and the slot's member (null unless this one is). Chunks are
//! allocated on first use and never freed, so a slot read once stays valid.
//!
//! A member is reference-counted. Taking a reference while another thread
//! detaches the descriptor is made safe by the slot's pin count: a reader pins
//! the slot for the few instructions between loading the pointer and counting
//! its reference, and a detacher, after clearing the slot, waits for the pins
//! to drain before dropping the table's reference. No pin is ever held across
//! a system call or user code.
//!
//! Those reference counts are atomic read-modify-writes, four per call. A
//! thread keeps the member it used last instead: the next call on the same
//! descriptor sees the slot still points to it (the kept reference keeps its
//! address from being reused) and takes it with no atomic write at all.

use std::cell::Cell;
use std::ptr;
use std::sync::Arc;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use libc::c_int;

use crate::group::Member;

// A descriptor number as u32, shifted, always indexes the table: no bounds
// check on the path every call takes. Negative numbers land in chunks that
// are never made.
const CHUNK_BITS: u32 = 16;
const CHUNK_LEN: usize = 1 << CHUNK_BITS;
const CHUNKS: usize = 1 << (32 - CHUNK_BITS);

struct Slot {
    member: AtomicPtr<Member>,
    pins: AtomicUsize,
}

type Chunk = [Slot; CHUNK_LEN];

static TABLE: [AtomicPtr<Chunk>; CHUNKS] = [const { AtomicPtr::new(ptr::null_mut()) }; CHUNKS];

#[inline(always)]
fn slot(fd: c_int) -> Option<&'static Slot> {
    let fd = fd as u32 as usize;
    let chunk = TABLE[fd >> CHUNK_BITS].load(Ordering::Acquire);
    if chunk.is_null() {
        return None;
    }
    // SAFETY: a published chunk is never freed or moved.
    Some(unsafe { &(*chunk)[fd & (CHUNK_LEN - 1)] })
}

/// Whether `fd` is HA-aware: the check every interposed call makes first. A
/// hint only (the covered path takes the member itself, and goes straight to
/// the system if it was detached in between).
#[inline(always)]
pub(crate) fn is_covered(fd: c_int) -> bool {
    match slot(fd) {
        Some(slot) => !slot.member.load(Ordering::Relaxed).is_null(),
        None => false,
    }
}

/// The member `fd` belongs to, if it is HA-aware.
pub(crate) fn get(fd: c_int) -> Option<Arc<Member>> {
    let slot = slot(fd)?;
    slot.pins.fetch_add(1, Ordering::SeqCst);
    let member = slot.member.load(Ordering::SeqCst);
    let taken = (!member.is_null()).then(|| {
        // SAFETY: the pin keeps `remove` from dropping the table's reference
        // until this one is counted, so the member is alive.
        unsafe {
            Arc::increment_strong_count(member);
            Arc::from_raw(member)
        }
    });
    slot.pins.fetch_sub(1, Ordering::Release);
    taken
}

thread_local! {
    /// The member this thread used last.
    static LAST: Last = const { Cell::new(None) };
}

type Last = Cell<Option<Arc<Member>>>;

/// A member taken for the duration of one call; given back to the thread's
/// cache when dropped. Not `Send`: it goes back to the thread it came from.
#[derive(Debug)]
pub(crate) struct Held {
    member: Option<Arc<Member>>,
    /// The thread's cache, found once per call (null after the thread's
    /// storage is gone).
    last: *const Last,
}

impl std::ops::Deref for Held {
    type Target = Arc<Member>;
    fn deref(&self) -> &Arc<Member> {
        self.member.as_ref().expect("taken only on drop")
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if self.last.is_null() {
            // A call made after the thread's own storage was destroyed (a C
            // destructor at thread exit): the reference is simply dropped.
            return;
        }
        // SAFETY: `last` is this thread's cache, which lives until the thread
        // ends, and `Held` never leaves the thread.
        unsafe { (*self.last).set(self.member.take()) };
    }
}

/// The member `fd` belongs to, if it is HA-aware, for one call.
#[inline]
pub(crate) fn hold(fd: c_int) -> Option<Held> {
    let current = slot(fd)?.member.load(Ordering::Acquire);
    if current.is_null() {
        return None;
    }
    let (last, kept) = LAST
        .try_with(|last| (ptr::from_ref(last), last.take()))
        .unwrap_or((ptr::null(), None));
    let member = match kept {
        // Same address as the member this thread still holds a reference
        // to: the same member, still in the slot.
        Some(member) if ptr::eq(Arc::as_ptr(&member), current) => member,
        other => {
            drop(other);
            get(fd)?
        }
    };
    Some(Held {
        member: Some(member),
        last,
    })
}

/// Makes `fd` HA-aware as `member`. `EEXIST` when it already is; `EBADF` for
/// a negative number.
pub(crate) fn insert(fd: c_int, member: Arc<Member>) -> Result<(), c_int> {
    let slot = slot_or_new(fd).ok_or(libc::EBADF)?;
    let raw = Arc::into_raw(member).cast_mut();
    match slot
        .member
        .compare_exchange(ptr::null_mut(), raw, Ordering::SeqCst, Ordering::SeqCst)
    {
        Ok(_) => Ok(()),
        Err(_) => {
            // SAFETY: `raw` came from `Arc::into_raw` just above and was not published.
            drop(unsafe { Arc::from_raw(raw) });
            Err(libc::EEXIST)
        }
    }
}

/// Makes `fd` an ordinary descriptor again, returning its member.
pub(crate) fn remove(fd: c_int) -> Option<Arc<Member>> {
    let slot = slot(fd)?;
    let member = slot.member.swap(ptr::null_mut(), Ordering::SeqCst);
    if member.is_null() {
        return None;
    }
    // Readers that loaded the pointer before the swap count their reference
    // before unpinning; wait for them (a few instructions each).
    while slot.pins.load(Ordering::SeqCst) != 0 {
        std::hint::spin_loop();
    }
    // SAFETY: the table's reference, published by `insert`, now unreachable.
    Some(unsafe { Arc::from_raw(member) })
}

/// The HA-aware descriptors numbered `first..=last`: what `close_range`
/// closes. Ranges no descriptor was ever made HA-aware in are skipped whole.
pub(crate) fn covered_in(first: u32, last: u32) -> Vec<c_int> {
    let last = last.min(c_int::MAX as u32) as usize;
    let mut found = Vec::new();
    let mut fd = first as usize;
    while fd <= last {
        let chunk = TABLE[fd >> CHUNK_BITS].load(Ordering::Acquire);
        if chunk.is_null() {
            fd = ((fd >> CHUNK_BITS) + 1) << CHUNK_BITS;
            continue;
        }
        if is_covered(fd as c_int) {
            found.push(fd as c_int);
        }
        fd += 1;
    }
    found
}

fn slot_or_new(fd: c_int) -> Option<&'static Slot> {
    let index = usize::try_from(fd).ok()?;
    let entry = &TABLE[index >> CHUNK_BITS];
    if entry.load(Ordering::Acquire).is_null() {
        // A large zeroed allocation is mapped lazily: only the pages of
        // descriptors made HA-aware are ever touched.
        // SAFETY: a chunk's layout has a non-zero size.
        let fresh = unsafe { std::alloc::alloc_zeroed(std::alloc::Layout::new::<Chunk>()) };
        if fresh.is_null() {
            return None;
        }
        // All-zero bytes are a chunk of empty slots: null pointers, no pins.
        let fresh = fresh.cast::<Chunk>();
        if entry
            .compare_exchange(ptr::null_mut(), fresh, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            // SAFETY: another thread published its chunk first; this one,
            // allocated with the global allocator and a chunk's layout, was
            // never shared.
            drop(unsafe { Box::from_raw(fresh) });
        }
    }
    slot(fd)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::tests::member_for_tests;

    #[test]
    fn insert_get_remove() {
        let fd = 3_000_000;
        assert!(!is_covered(fd) && get(fd).is_none());
        let member = member_for_tests(fd);
        insert(fd, Arc::clone(&member)).unwrap();
        assert!(is_covered(fd));
        assert_eq!(insert(fd, Arc::clone(&member)), Err(libc::EEXIST));
        assert!(Arc::ptr_eq(&get(fd).unwrap(), &member));
        assert!(Arc::ptr_eq(&remove(fd).unwrap(), &member));
        assert!(!is_covered(fd) && get(fd).is_none() && remove(fd).is_none());
        assert_eq!(
            Arc::strong_count(&member),
            1,
            "every reference was given back"
        );
    }

    #[test]
    fn a_held_member_is_kept_by_the_thread_and_never_outlives_its_slot() {
        let fd = 3_050_000;
        let first = member_for_tests(fd);
        insert(fd, Arc::clone(&first)).unwrap();
        drop(hold(fd).unwrap());
        // The thread keeps it: taking it again counts no reference.
        let count = Arc::strong_count(&first);
        let held = hold(fd).unwrap();
        assert!(Arc::ptr_eq(&held, &first));
        assert_eq!(Arc::strong_count(&first), count);
        drop(held);
        // Replaced in its slot, the kept member is not taken for the new one.
        drop(remove(fd));
        assert!(hold(fd).is_none());
        let second = member_for_tests(fd);
        insert(fd, Arc::clone(&second)).unwrap();
        assert!(Arc::ptr_eq(&hold(fd).unwrap(), &second));
        assert_eq!(
            Arc::strong_count(&first),
            1,
            "the thread let the old one go"
        );
        drop(remove(fd));
    }

    #[test]
    fn negative_numbers_are_never_covered() {
        for fd in [-1, c_int::MIN] {
            assert!(!is_covered(fd) && get(fd).is_none());
            assert_eq!(insert(fd, member_for_tests(fd)), Err(libc::EBADF));
        }
        assert!(!is_covered(c_int::MAX));
    }

    #[test]
    fn readers_racing_a_detach_never_see_a_freed_member() {
        let fd = 3_100_000;
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let readers: Vec<_> = (0..4)
            .map(|_| {
                let stop = Arc::clone(&stop);
                std::thread::spawn(move || {
                    let mut seen = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        if let Some(member) = get(fd) {
                            assert_eq!(member.fd, fd);
                            seen += 1;
                        }
                    }
                    seen
                })
            })
            .collect();
        for _ in 0..2000 {
            insert(fd, member_for_tests(fd)).unwrap();
            drop(remove(fd).unwrap());
        }
        stop.store(true, Ordering::Relaxed);
        for reader in readers {
            reader.join().unwrap();
        }
    }
}
