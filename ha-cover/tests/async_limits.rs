//! The async covers' limits, deadline and events: as the sync covers', when
//! recovery ends without success the caller gets the original error.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{bytes, scratch_file};
use ha_cover::asynchronous::{AsyncCover, File};
use ha_cover::fault::{Faulty, Plan};
use ha_cover::{Backoff, Builder, EventKind, RecoveryError};
use tokio::io::AsyncReadExt;

type Conn = Faulty<File>;

async fn cover(
    plan: &Plan,
    builder: Builder<ha_cover::asynchronous::Tokio>,
    seed: u64,
) -> (AsyncCover<Conn>, common::Scratch) {
    let scratch = scratch_file(&bytes(1000, seed));
    let file = File::open(&scratch.path).await.unwrap();
    let cover = builder
        .attach(plan.wrap(file), ha_cover::asynchronous::reopen_seek, ())
        .unwrap();
    (cover, scratch)
}

#[tokio::test]
async fn attempts_per_failure_end_with_the_original_error_until_reset() {
    let plan = Plan::new().fail_reopens(5, libc::ENOENT);
    let builder = ha_cover::asynchronous::AsyncCover::builder()
        .backoff(Backoff::none())
        .attempts(3);
    let (mut cover, _scratch) = cover(&plan, builder, 1).await;
    let mut buf = [0; 10];
    cover.read_exact(&mut buf).await.unwrap();
    plan.kill(libc::ENOTCONN);
    let err = cover.read(&mut buf).await.unwrap_err();
    assert_eq!(
        err.raw_os_error(),
        Some(libc::ENOTCONN),
        "the read's own error"
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
        Some(RecoveryError::AttemptsExhausted { attempts: 3, .. })
    ));
    let err = cover.read(&mut buf).await.unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::ENOTCONN));
    assert_eq!(plan.reopens(), 3, "no attempt while the limit is used up");
    cover.control().reset_attempts();
    // Two more failing reopens remain in the plan, then one succeeds.
    cover.read_exact(&mut buf).await.unwrap();
    assert_eq!(cover.control().stats().recoveries, 1);
}

#[tokio::test]
async fn the_total_limit_counts_recoveries_until_reset() {
    let plan = Plan::new();
    let builder = ha_cover::asynchronous::AsyncCover::builder()
        .backoff(Backoff::none())
        .total(1);
    let (mut cover, _scratch) = cover(&plan, builder, 2).await;
    let mut buf = [0; 10];
    plan.kill(libc::ENOTCONN);
    cover.read_exact(&mut buf).await.unwrap();
    plan.kill(libc::ESTALE);
    let err = cover.read(&mut buf).await.unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::ESTALE));
    assert!(matches!(
        cover.control().stats().last_give_up.as_deref(),
        Some(RecoveryError::TotalLimit { limit: 1 })
    ));
    cover.control().reset_total();
    cover.read_exact(&mut buf).await.unwrap();
    assert_eq!(cover.control().stats().recoveries, 2);
}

#[tokio::test]
async fn the_deadline_bounds_one_recovery() {
    let plan = Plan::new().fail_reopens(1000, libc::ENOENT);
    let builder = ha_cover::asynchronous::AsyncCover::builder()
        .deadline(Duration::from_millis(60))
        .backoff(Backoff::fixed(Duration::from_millis(10)).without_jitter());
    let (mut cover, _scratch) = cover(&plan, builder, 3).await;
    plan.kill(libc::ENOTCONN);
    let started = Instant::now();
    let err = cover.read(&mut [0; 10]).await.unwrap_err();
    let took = started.elapsed();
    assert_eq!(err.raw_os_error(), Some(libc::ENOTCONN));
    assert!(took >= Duration::from_millis(60), "gave up early: {took:?}");
    assert!(took < Duration::from_secs(5), "gave up late: {took:?}");
    assert!(
        plan.reopens() >= 6,
        "an attempt every 10 ms: {}",
        plan.reopens()
    );
    assert!(matches!(
        cover.control().stats().last_give_up.as_deref(),
        Some(RecoveryError::DeadlinePassed { .. })
    ));
}

#[tokio::test]
async fn events_tell_the_story_of_a_recovery() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let builder = ha_cover::asynchronous::AsyncCover::builder()
        .backoff(Backoff::none())
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
        });
    let plan = Plan::new().fail_reopens(2, libc::ENOENT);
    let (mut cover, _scratch) = cover(&plan, builder, 4).await;
    plan.kill(libc::ENOTCONN);
    cover.read_exact(&mut [0; 10]).await.unwrap();
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
