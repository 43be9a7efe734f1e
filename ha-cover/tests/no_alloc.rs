//! The path with no failure allocates nothing: a counting global allocator watches
//! this thread while covered operations run. Alone in its test binary because it
//! replaces the allocator.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fs::OpenOptions;
use std::io::{IoSlice, IoSliceMut, Read, Seek, SeekFrom, Write};
use std::os::unix::net::UnixStream;

use common::OffsetHandle;
use ha_cover::{Builder, Cover, Recoverable, WritePolicy};

struct Counting;

thread_local! {
    static WATCHING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every method forwards to the system allocator unchanged; counting only
// touches const-initialized thread-locals, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if WATCHING.with(Cell::get) {
            ALLOCATIONS.with(|n| n.set(n.get() + 1));
        }
        // SAFETY: forwarded with the caller's layout.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if WATCHING.with(Cell::get) {
            ALLOCATIONS.with(|n| n.set(n.get() + 1));
        }
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn allocations_during(work: impl FnOnce()) -> usize {
    ALLOCATIONS.with(|n| n.set(0));
    WATCHING.with(|w| w.set(true));
    work();
    WATCHING.with(|w| w.set(false));
    ALLOCATIONS.with(Cell::get)
}

fn file_workload<H: Recoverable>(cover: &mut Cover<std::fs::File, H>) {
    let mut buf = [0u8; 512];
    for i in 0..200u64 {
        cover.seek(SeekFrom::Start(0)).unwrap();
        cover.write_all(&buf[..100]).unwrap();
        let written = cover
            .write_vectored(&[IoSlice::new(&buf[..10]), IoSlice::new(&buf[..20])])
            .unwrap();
        assert_eq!(written, 30);
        cover.seek(SeekFrom::Start(0)).unwrap();
        cover.read_exact(&mut buf[..64]).unwrap();
        let (a, b) = buf.split_at_mut(256);
        let read = cover
            .read_vectored(&mut [IoSliceMut::new(a), IoSliceMut::new(b)])
            .unwrap();
        assert!(read > 0);
        cover.write_at(&buf[..8], i).unwrap();
        cover.read_at(&mut buf[..8], i).unwrap();
        cover.flush().unwrap();
    }
}

fn open_file(dir: &tempfile::TempDir) -> OpenOptions {
    std::fs::write(dir.path().join("f"), vec![7u8; 4096]).unwrap();
    let mut options = OpenOptions::new();
    options.read(true).write(true);
    options
}

fn echo_peer() -> UnixStream {
    let (ours, theirs) = UnixStream::pair().unwrap();
    std::thread::spawn(move || {
        let mut theirs = theirs;
        let mut buf = [0; 4096];
        while let Ok(n) = theirs.read(&mut buf) {
            if n == 0 || theirs.write_all(&buf[..n]).is_err() {
                return;
            }
        }
    });
    ours
}

fn ping_pong<H: Recoverable>(cover: &mut Cover<UnixStream, H>) {
    let mut buf = [0u8; 64];
    for _ in 0..500 {
        cover.write_all(&[1u8; 64]).unwrap();
        cover.read_exact(&mut buf).unwrap();
    }
}

#[test]
fn no_allocation_on_the_path_with_no_failure() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f");

    let mut plain = Cover::open_with(&path, &open_file(&dir), ha_cover::reopen_seek, ()).unwrap();
    assert_eq!(
        allocations_during(|| file_workload(&mut plain)),
        0,
        "file, no handle"
    );

    let mut tracked = Cover::open_with(
        &path,
        &open_file(&dir),
        ha_cover::reopen_seek,
        OffsetHandle::default(),
    )
    .unwrap();
    assert_eq!(
        allocations_during(|| file_workload(&mut tracked)),
        0,
        "file, handle following the offset"
    );

    let mut dup = tracked.dup().unwrap();
    assert_eq!(
        allocations_during(|| file_workload(&mut dup)),
        0,
        "file, dup'ed, handle behind the lock"
    );
    let mut dup_plain = plain.dup().unwrap();
    assert_eq!(
        allocations_during(|| file_workload(&mut dup_plain)),
        0,
        "file, dup'ed, no handle"
    );

    for policy in [WritePolicy::Never, WritePolicy::Always, WritePolicy::Replay] {
        let mut socket = Builder::new()
            .write_policy(policy)
            .attach(echo_peer(), ha_cover::reconnect, ())
            .unwrap();
        assert_eq!(
            allocations_during(|| ping_pong(&mut socket)),
            0,
            "socket, {policy:?}"
        );
        let mut socket_dup = socket.dup().unwrap();
        assert_eq!(
            allocations_during(|| ping_pong(&mut socket_dup)),
            0,
            "socket dup, {policy:?}"
        );
    }

    // The counter itself works: an allocation is seen.
    assert_eq!(
        allocations_during(|| drop(std::hint::black_box(vec![1u8; 16]))),
        1
    );
}
