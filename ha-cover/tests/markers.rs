//! Which public types are `Send`, `Sync` and `Unpin`, checked at compile time
//! in the manner of tokio's `tests/async_send_sync.rs`: each line says what a
//! type is and is not, and a type that gains or loses one of these stops this
//! file from compiling.
//!
//! Covers are `Send + Sync` whatever their connection kind and handle (an
//! `Arc<Cover>` is read from other threads: its stats, its handle), and a
//! builder is `Clone + Send + Sync` (one policy, a template for many
//! connections).

#![allow(dead_code)]

use std::fs::File;
use std::net::TcpStream;
use std::os::unix::net::UnixStream;

use ha_cover::typed::TypedCover;
use ha_cover::{
    AttemptError, Backoff, Builder, Cause, ConnectionInfo, Cover, Event, EventKind, Failure,
    IdentityChanged, IdentityCheck, Indeterminate, Kind, Lookup, Origin, Peer, Progress,
    Recoverable, RecoveryError, Stats, Target, Transfer, Triggers, Unrecovered, WaitingFor,
    WritePolicy, ha_connection,
};

/// A handle that follows the position (a lock after a dup).
#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct FileHandle {
    #[ha(offset)]
    offset: u64,
}

/// A handle that is `Send` and not `Sync`: a cover is `Sync` all the same,
/// since only one thread at a time reaches its handle.
#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect)]
struct CellHandle {
    #[ha(recoveries)]
    nr: u32,
    seen: std::cell::Cell<u32>,
}

#[ha_connection(file, mode = read_only, handle = FileHandle)]
struct Declared;

#[ha_connection(unix, asynchronous, mode = read_write, write_policy = replay)]
struct AsyncDeclared;

#[allow(dead_code)]
enum Invalid {}

trait AmbiguousIfSend<A> {
    fn some_item() {}
}
impl<T: ?Sized> AmbiguousIfSend<()> for T {}
impl<T: ?Sized + Send> AmbiguousIfSend<Invalid> for T {}

trait AmbiguousIfSync<A> {
    fn some_item() {}
}
impl<T: ?Sized> AmbiguousIfSync<()> for T {}
impl<T: ?Sized + Sync> AmbiguousIfSync<Invalid> for T {}

trait AmbiguousIfUnpin<A> {
    fn some_item() {}
}
impl<T: ?Sized> AmbiguousIfUnpin<()> for T {}
impl<T: ?Sized + Unpin> AmbiguousIfUnpin<Invalid> for T {}

fn require_send<T: Send>() {}
fn require_sync<T: Sync>() {}
fn require_unpin<T: Unpin>() {}
fn require_clone<T: Clone>() {}

macro_rules! assert_value {
    ($type:ty: !Send) => {
        const _: fn() = || {
            <$type as AmbiguousIfSend<_>>::some_item();
        };
    };
    ($type:ty: Send & Sync & Unpin) => {
        const _: fn() = || {
            require_send::<$type>();
            require_sync::<$type>();
            require_unpin::<$type>();
        };
    };
    ($type:ty: !Send & !Sync & Unpin) => {
        const _: fn() = || {
            <$type as AmbiguousIfSend<_>>::some_item();
            <$type as AmbiguousIfSync<_>>::some_item();
            require_unpin::<$type>();
        };
    };
    ($type:ty: !Send & Sync & Unpin) => {
        const _: fn() = || {
            <$type as AmbiguousIfSend<_>>::some_item();
            require_sync::<$type>();
            require_unpin::<$type>();
        };
    };
    ($type:ty: Send & Sync & !Unpin) => {
        const _: fn() = || {
            require_send::<$type>();
            require_sync::<$type>();
            <$type as AmbiguousIfUnpin<_>>::some_item();
        };
    };
    ($type:ty: Send & !Sync & Unpin) => {
        const _: fn() = || {
            require_send::<$type>();
            <$type as AmbiguousIfSync<_>>::some_item();
            require_unpin::<$type>();
        };
    };
}

macro_rules! assert_clone {
    ($($type:ty),+ $(,)?) => {
        const _: fn() = || {
            $( require_clone::<$type>(); )+
        };
    };
}

// Sync covers, of every kind, with and without a handle, sole or dup'ed (the
// same type).
assert_value!(Cover<File>: Send & Sync & Unpin);
assert_value!(Cover<File, FileHandle>: Send & Sync & Unpin);
assert_value!(Cover<UnixStream>: Send & Sync & Unpin);
assert_value!(Cover<UnixStream, CellHandle>: Send & Sync & Unpin);
assert_value!(Cover<TcpStream>: Send & Sync & Unpin);
assert_value!(Cover<TcpStream, CellHandle>: Send & Sync & Unpin);
assert_value!(Declared: Send & Sync & Unpin);
assert_value!(TypedCover<Declared>: Send & Sync & Unpin);

// The builder: a template.
assert_value!(Builder: Send & Sync & Unpin);
assert_clone!(
    Builder,
    Backoff,
    Triggers,
    WritePolicy,
    IdentityCheck,
    Stats,
    Origin,
    Peer,
    Progress,
    ConnectionInfo,
    Target,
    WaitingFor
);

// What recovery functions and sinks are given, and the errors.
assert_value!(Failure<'static, File>: Send & Sync & Unpin);
assert_value!(Lookup<'static>: Send & Sync & Unpin);
assert_value!(Cause: Send & Sync & Unpin);
assert_value!(Event<'static>: Send & Sync & Unpin);
assert_value!(EventKind<'static>: Send & Sync & Unpin);
assert_value!(ConnectionInfo: Send & Sync & Unpin);
assert_value!(Target: Send & Sync & Unpin);
assert_value!(WaitingFor: Send & Sync & Unpin);
assert_value!(Progress: Send & Sync & Unpin);
assert_value!(Transfer<'static>: Send & Sync & Unpin);
assert_value!(AttemptError: Send & Sync & Unpin);
assert_value!(RecoveryError: Send & Sync & Unpin);
assert_value!(Unrecovered: Send & Sync & Unpin);
assert_value!(Indeterminate: Send & Sync & Unpin);
assert_value!(IdentityChanged: Send & Sync & Unpin);
assert_value!(Stats: Send & Sync & Unpin);
assert_value!(Origin: Send & Sync & Unpin);
assert_value!(Peer: Send & Sync & Unpin);
assert_value!(Kind: Send & Sync & Unpin);
assert_value!(Backoff: Send & Sync & Unpin);
assert_value!(Triggers: Send & Sync & Unpin);
assert_value!(WritePolicy: Send & Sync & Unpin);
assert_value!(IdentityCheck: Send & Sync & Unpin);

// The controls.
assert_value!(ha_cover::Control<'static>: Send & Sync & Unpin);

// Async covers, of every kind, with and without a handle.
mod asynchronous {
    use super::*;
    use ha_cover::asynchronous::{AsyncCover, AsyncFailure, File};
    use ha_cover::typed::AsyncTypedCover;
    use tokio::net::{TcpStream, UnixStream};

    assert_value!(AsyncCover<File>: Send & Sync & Unpin);
    assert_value!(AsyncCover<File, FileHandle>: Send & Sync & Unpin);
    assert_value!(AsyncCover<UnixStream>: Send & Sync & Unpin);
    assert_value!(AsyncCover<UnixStream, CellHandle>: Send & Sync & Unpin);
    assert_value!(AsyncCover<TcpStream>: Send & Sync & Unpin);
    assert_value!(AsyncCover<TcpStream, CellHandle>: Send & Sync & Unpin);
    assert_value!(AsyncDeclared: Send & Sync & Unpin);
    assert_value!(AsyncTypedCover<AsyncDeclared>: Send & Sync & Unpin);
    // What a declared async cover's I/O methods return: a task may hold it
    // across an await.
    assert_value!(ha_cover::typed::AsyncOp<'static, AsyncDeclared, &'static mut [u8], usize>: Send & Sync & Unpin);
    assert_value!(File: Send & Sync & Unpin);
    assert_value!(AsyncFailure<'static, File>: Send & Sync & Unpin);
    assert_value!(ha_cover::asynchronous::Uncovered<'static, UnixStream>: Send & Sync & Unpin);
    assert_value!(ha_cover::Builder<ha_cover::asynchronous::Tokio>: Send & Sync & Unpin);
    assert_clone!(ha_cover::Builder<ha_cover::asynchronous::Tokio>);
}

// The fault-injection connection, for tests of recovery code.
mod fault {
    use super::*;
    use ha_cover::fault::{Fault, Faulty, Plan};

    assert_value!(Faulty<File>: Send & Sync & Unpin);
    assert_value!(Cover<Faulty<File>, FileHandle>: Send & Sync & Unpin);
    assert_value!(Plan: Send & Sync & Unpin);
    assert_value!(Fault: Send & Sync & Unpin);
    assert_clone!(Plan);
}

/// A cover shared through an `Arc`: another thread reads its stats and its
/// handle while this one owns nothing but the `Arc`.
#[test]
fn a_shared_cover_is_read_from_another_thread() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data");
    std::fs::write(&path, b"0123456789").unwrap();
    let cover = Cover::open(&path, ha_cover::reopen_seek, FileHandle::default()).unwrap();
    let cover = std::sync::Arc::new(cover);
    let reader = std::sync::Arc::clone(&cover);
    let (stats, offset) =
        std::thread::spawn(move || (reader.control().stats(), reader.with_handle(|h| h.offset)))
            .join()
            .unwrap();
    assert_eq!(stats.recoveries, 0);
    assert_eq!(offset, 0);
}

/// One builder, many covers: the policy is cloned, and each clone makes a
/// cover of its own.
#[test]
fn a_builder_is_a_template() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data");
    std::fs::write(&path, b"x").unwrap();
    let template = Builder::new().attempts(3);
    let covers: Vec<_> = (0..3)
        .map(|_| template.clone().open(&path, ha_cover::reopen, ()).unwrap())
        .collect();
    assert_eq!(covers.len(), 3);
    assert!(covers.iter().all(|c| c.control().stats().recoveries == 0));
}

/// `use ha_cover::*` brings no module named `tokio` (the async covers are
/// `ha_cover::asynchronous`), so the `tokio` crate is still what `tokio::`
/// names; with a module of that name this file would not compile
/// ("`tokio` is ambiguous").
mod glob_import {
    #[allow(unused_imports)]
    use ha_cover::*;

    #[test]
    fn the_tokio_crate_is_not_shadowed() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(async { tokio::task::yield_now().await });
    }
}
