//! Limits, suspend, deadline, giving up, replacing the recovery function, events:
//! when recovery ends without success the caller gets the original error.

mod common;

use std::fs::File;
use std::io::{self, Read};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{bytes, scratch_file};
use ha_cover::fault::{Fault, Faulty, Plan};
use ha_cover::{AttemptError, Backoff, Builder, EventKind, Failure, RecoveryError};

fn builder() -> Builder {
    Builder::new().backoff(Backoff::none())
}

type Conn = Faulty<File>;

#[test]
fn attempts_per_failure_end_with_the_original_error_until_reset() {
    let scratch = scratch_file(&bytes(100, 1));
    let plan = Plan::new()
        .at(1, Fault::Die(libc::ENOTCONN))
        .fail_reopens(5, libc::ENOENT);
    let mut cover = builder()
        .attempts(3)
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            ha_cover::reopen_seek,
            (),
        )
        .unwrap();
    let mut buf = [0; 10];
    cover.read_exact(&mut buf).unwrap();
    let err = cover.read(&mut buf).unwrap_err();
    assert_eq!(
        err.raw_os_error(),
        Some(libc::ENOTCONN),
        "the error of the failed read, not of the reopen"
    );
    assert_eq!(plan.reopens(), 3);
    let stats = cover.control().stats();
    assert_eq!(
        (
            stats.failures,
            stats.attempts,
            stats.gave_up,
            stats.recoveries
        ),
        (1, 3, 1, 0)
    );
    assert!(matches!(
        stats.last_give_up.as_deref(),
        Some(RecoveryError::AttemptsExhausted { attempts: 3, last: Some(e) }) if e.raw_os_error() == Some(libc::ENOENT)
    ));
    // As QNX's ICOUNT: the used-up count stays until a success or a reset.
    assert_eq!(
        cover.read(&mut buf).unwrap_err().raw_os_error(),
        Some(libc::ENOTCONN)
    );
    assert_eq!(plan.reopens(), 3, "no attempt while the limit is used up");
    cover.control().reset_attempts();
    // Two more failing reopens remain in the plan, then one succeeds.
    assert_eq!(cover.read(&mut buf).unwrap(), 10);
    assert_eq!(cover.control().stats().recoveries, 1);
}

#[test]
fn the_total_limit_counts_recoveries_until_reset() {
    let scratch = scratch_file(&bytes(100, 2));
    let plan = Plan::new()
        .at(1, Fault::Die(libc::ENOTCONN))
        .at(4, Fault::Die(libc::ESTALE));
    let mut cover = builder()
        .total(1)
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            ha_cover::reopen_seek,
            (),
        )
        .unwrap();
    let mut buf = [0; 10];
    cover.read_exact(&mut buf).unwrap();
    cover.read_exact(&mut buf).unwrap(); // op 1 dies, op 2 is the seek, op 3 the resend
    let err = cover.read(&mut buf).unwrap_err(); // op 4 dies: the limit is used up
    assert_eq!(err.raw_os_error(), Some(libc::ESTALE));
    assert!(matches!(
        cover.control().stats().last_give_up.as_deref(),
        Some(RecoveryError::TotalLimit { limit: 1 })
    ));
    cover.control().reset_total();
    cover.read_exact(&mut buf).unwrap();
    assert_eq!(cover.control().stats().recoveries, 2);
}

#[test]
fn suspended_recovery_returns_failures_as_they_come() {
    let scratch = scratch_file(&bytes(100, 3));
    let plan = Plan::new().at(0, Fault::Die(libc::ENOTCONN));
    let mut cover = builder()
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            ha_cover::reopen_seek,
            (),
        )
        .unwrap();
    cover.control().suspend();
    assert!(cover.control().is_suspended());
    let mut buf = [0; 10];
    assert_eq!(
        cover.read(&mut buf).unwrap_err().raw_os_error(),
        Some(libc::ENOTCONN)
    );
    assert_eq!(plan.reopens(), 0);
    assert!(matches!(
        cover.control().stats().last_give_up.as_deref(),
        Some(RecoveryError::Suspended)
    ));
    cover.control().enable();
    assert_eq!(cover.read(&mut buf).unwrap(), 10);
}

#[test]
fn the_deadline_bounds_one_recovery() {
    let scratch = scratch_file(&bytes(100, 4));
    let plan = Plan::new()
        .at(0, Fault::Die(libc::ENOTCONN))
        .fail_reopens(1000, libc::ENOENT);
    let mut cover = Builder::new()
        .deadline(Duration::from_millis(60))
        .backoff(Backoff::fixed(Duration::from_millis(10)).without_jitter())
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            ha_cover::reopen_seek,
            (),
        )
        .unwrap();
    let started = Instant::now();
    let err = cover.read(&mut [0; 10]).unwrap_err();
    let took = started.elapsed();
    assert_eq!(err.raw_os_error(), Some(libc::ENOTCONN));
    assert!(took >= Duration::from_millis(60), "gave up early: {took:?}");
    assert!(took < Duration::from_secs(5), "gave up late: {took:?}");
    // One attempt every 10 ms for 60 ms and one at the deadline; more when the
    // mount table changes meanwhile (another process mounting), which wakes it.
    let attempts = plan.reopens();
    assert!(
        attempts >= 6,
        "one attempt every 10 ms for 60 ms, and one at the deadline: {attempts}"
    );
    assert!(matches!(
        cover.control().stats().last_give_up.as_deref(),
        Some(RecoveryError::DeadlinePassed { .. })
    ));
}

#[test]
fn a_recovery_function_can_give_up_at_once() {
    let scratch = scratch_file(&bytes(100, 5));
    let plan = Plan::new().at(0, Fault::Die(libc::ESTALE));
    let calls = Arc::new(Mutex::new(0));
    let counted = Arc::clone(&calls);
    let mut cover = builder()
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            move |_: &Failure<'_, Conn>, _: &mut ()| {
                *counted.lock().unwrap() += 1;
                Err(AttemptError::give_up(io::Error::other("not today")))
            },
            (),
        )
        .unwrap();
    assert_eq!(
        cover.read(&mut [0; 4]).unwrap_err().raw_os_error(),
        Some(libc::ESTALE)
    );
    assert_eq!(*calls.lock().unwrap(), 1);
    assert!(
        matches!(cover.control().stats().last_give_up.as_deref(), Some(RecoveryError::GaveUp(e)) if e.to_string() == "not today")
    );
}

#[test]
fn wrapped_errors_keep_the_kind_and_errno_and_carry_the_reason() {
    let scratch = scratch_file(&bytes(100, 6));
    let plan = Plan::new()
        .at(0, Fault::Die(libc::ENOTCONN))
        .fail_reopens(10, libc::ENOENT);
    let mut cover = builder()
        .attempts(2)
        .wrap_errors(true)
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            ha_cover::reopen_seek,
            (),
        )
        .unwrap();
    let err = cover.read(&mut [0; 4]).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotConnected);
    assert_eq!(ha_cover::os_error(&err), Some(libc::ENOTCONN));
    let unrecovered = err
        .get_ref()
        .unwrap()
        .downcast_ref::<ha_cover::Unrecovered>()
        .unwrap();
    assert!(matches!(
        *unrecovered.reason,
        RecoveryError::AttemptsExhausted { attempts: 2, .. }
    ));
    assert_eq!(unrecovered.raw_os_error(), Some(libc::ENOTCONN));
    // The top-level message says what happened and why, in one line.
    let message = err.to_string();
    assert!(
        message.starts_with(&io::Error::from_raw_os_error(libc::ENOTCONN).to_string())
            && message.contains(
                "; not recovered: all 2 attempts allowed failed; the last failed with: No such file or directory"
            ),
        "{message}"
    );
}

#[test]
fn the_recovery_function_can_be_replaced_at_run_time() {
    let scratch = scratch_file(&bytes(100, 7));
    let plan = Plan::new().at(1, Fault::Die(libc::ENOTCONN));
    let mut cover = builder()
        .attempts(1)
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            |_: &Failure<'_, Conn>, _: &mut ()| {
                Err(AttemptError::retry(io::Error::other("first function")))
            },
            (),
        )
        .unwrap();
    let mut buf = [0; 10];
    cover.read_exact(&mut buf).unwrap();
    assert!(cover.read(&mut buf).is_err());
    cover.set_recovery(|failure: &Failure<'_, Conn>, _: &mut ()| failure.reopen_seek());
    cover.control().reset_attempts();
    cover.read_exact(&mut buf).unwrap();
    assert_eq!(buf, bytes(100, 7)[10..20]);
    assert_eq!(cover.control().stats().recoveries, 1);
}

#[test]
fn events_tell_the_story_of_a_recovery() {
    let scratch = scratch_file(&bytes(100, 8));
    let plan = Plan::new()
        .at(0, Fault::Die(libc::ENOTCONN))
        .fail_reopens(2, libc::ENOENT);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let mut cover = builder()
        .on_event(move |event| {
            sink.lock().unwrap().push(match &event.kind {
                EventKind::Failed { cause } => format!("failed {:?}", cause.errno()),
                EventKind::AttemptFailed { number, error } => {
                    format!("attempt {number} {:?}", error.raw_os_error())
                }
                EventKind::Recovered { attempts, .. } => format!("recovered after {attempts}"),
                EventKind::GaveUp { reason, .. } => format!("gave up: {reason}"),
                EventKind::Indeterminate { unanswered } => format!("indeterminate {unanswered}"),
                _ => "other".into(),
            })
        })
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            ha_cover::reopen_seek,
            (),
        )
        .unwrap();
    cover.read_exact(&mut [0; 10]).unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        [
            format!("failed {:?}", Some(libc::ENOTCONN)),
            format!("attempt 1 {:?}", Some(libc::ENOENT)),
            format!("attempt 2 {:?}", Some(libc::ENOENT)),
            "recovered after 3".to_string(),
        ]
    );
    let stats = cover.control().stats();
    assert_eq!(
        (stats.failures, stats.attempts, stats.recoveries),
        (1, 3, 1)
    );
    assert_eq!(stats.last_errno, Some(libc::ENOTCONN));
    assert!(stats.disconnected > Duration::ZERO);
}

#[test]
fn a_failure_inside_a_recovery_function_is_not_recovered_recursively() {
    let scratch = scratch_file(&bytes(100, 9));
    // A second cover, used by the first one's recovery function, whose server is
    // dead too.
    let inner_plan = Plan::new().at(0, Fault::Die(libc::ESTALE));
    let inner = builder()
        .attach(
            inner_plan.wrap(File::open(&scratch.path).unwrap()),
            ha_cover::reopen_seek,
            (),
        )
        .unwrap();
    let inner = Arc::new(Mutex::new(inner));
    let seen_inside = Arc::new(Mutex::new(None));
    let (inner_in_fn, seen) = (Arc::clone(&inner), Arc::clone(&seen_inside));
    let plan = Plan::new().at(0, Fault::Die(libc::ENOTCONN));
    let mut outer = builder()
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            move |failure: &Failure<'_, Conn>, _: &mut ()| {
                let result = inner_in_fn.lock().unwrap().read(&mut [0; 4]);
                *seen.lock().unwrap() = Some(result.map_err(|e| e.raw_os_error()));
                failure.reopen_seek()
            },
            (),
        )
        .unwrap();
    outer.read_exact(&mut [0; 4]).unwrap();
    assert_eq!(*seen_inside.lock().unwrap(), Some(Err(Some(libc::ESTALE))));
    assert_eq!(
        inner_plan.reopens(),
        0,
        "the inner cover did not recover inside the outer recovery"
    );
    // Outside a recovery, the inner cover recovers as usual.
    inner.lock().unwrap().read_exact(&mut [0; 4]).unwrap();
    assert_eq!(inner_plan.reopens(), 1);
}

#[test]
fn identity_check_refuses_a_path_that_names_another_file() {
    let scratch = scratch_file(b"original contents");
    let plan = Plan::new().at(1, Fault::Die(libc::ESTALE));
    let mut cover = builder()
        .verify_identity(ha_cover::IdentityCheck::Inode)
        .wrap_errors(true)
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            ha_cover::reopen_seek,
            (),
        )
        .unwrap();
    cover.read_exact(&mut [0; 4]).unwrap();
    // The file is replaced under the same name (a new inode) while "the server" is down.
    let replacement = scratch.dir.path().join("replacement");
    std::fs::write(&replacement, b"ANOTHER FILE ENTIRELY").unwrap();
    std::fs::rename(&replacement, &scratch.path).unwrap();
    let err = cover.read(&mut [0; 4]).unwrap_err();
    assert_eq!(ha_cover::os_error(&err), Some(libc::ESTALE));
    let stats = cover.control().stats();
    let Some(RecoveryError::IdentityChanged(changed)) = stats.last_give_up.as_deref() else {
        panic!("{stats:?}")
    };
    assert_ne!(changed.expected_inode, changed.found_inode);
    // The caller's error says so at the top, not as "the recovery function
    // gave up" with the reason below it.
    let message = err.to_string();
    assert!(
        message.contains(&format!(
            "; not recovered: {} now names another file (inode {}",
            scratch.path.display(),
            changed.found_inode
        )),
        "{message}"
    );
    assert!(!message.contains("recovery function"), "{message}");
    assert_eq!(
        plan.reopens(),
        1,
        "a changed identity ends the recovery at once"
    );
}

#[test]
fn identity_check_accepts_the_same_file() {
    let scratch = scratch_file(b"same file");
    let plan = Plan::new().at(1, Fault::Die(libc::ESTALE));
    let mut cover = builder()
        .verify_identity(ha_cover::IdentityCheck::InodeAndSize)
        .attach(
            plan.wrap(File::open(&scratch.path).unwrap()),
            ha_cover::reopen_seek,
            (),
        )
        .unwrap();
    let mut all = String::new();
    cover.read_to_string(&mut all).unwrap();
    assert_eq!(all, "same file");
}
