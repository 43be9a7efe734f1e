//! One recovery: call the recovery function until the connection is back or
//! the policy says to stop, and say what becomes of the failed operation.
//!
//! The decisions are the runtime's own (`Cycle`: when to attempt, wait, give
//! up; `after_recovery`: what to send again); this file only calls the C
//! recovery function and looks at the descriptor.

use std::io;
use std::sync::Arc;
use std::time::Instant;

use ha_cover_rt::engine::{Cycle, FileFacts, OpInfo, Resume, Step, Watcher, after_recovery};
use ha_cover_rt::{Kind, RecoveryError};
use libc::c_int;

use crate::group::{Control, Flight, Member, lock};
use crate::settle::Cause;
use crate::types::HA_RETRY;
use crate::{raw, recursion, repoint, table};

/// Runs one recovery cycle for `member`'s group; the caller holds the flight
/// lock (`flight`). `None` when recovery gave up.
pub(crate) fn recover(
    member: &Member,
    flight: &mut Flight,
    op: OpInfo,
    cause: &Cause,
) -> Option<Resume> {
    let group = &*member.group;
    let fd = member.fd;
    let began = Instant::now();
    {
        let stats = &mut lock(&group.control).stats;
        stats.failures += 1;
        stats.last_errno = cause.errno();
    }
    // The kernel keeps a file's position after its server died: where the
    // operation sent again must happen.
    let dead_position = match group.kind {
        Kind::File => raw::lseek(fd, 0, libc::SEEK_CUR).ok().map(|p| p as u64),
        Kind::Socket => None,
    };
    let mut cycle = {
        let control = &mut *lock(&group.control);
        match Cycle::begin(
            &control.policy,
            &control.counters,
            &mut control.backoff,
            began,
        ) {
            Ok(cycle) => cycle,
            Err(reason) => return give_up(control, reason, began),
        }
    };
    let mut watcher: Option<Watcher> = None;
    loop {
        let step = {
            let control = lock(&group.control);
            cycle.step(&control.policy, &control.counters, Instant::now())
        };
        let attempt = match step {
            Step::Attempt => attempt(member),
            Step::Wait(delay) => {
                wait(&mut watcher, &mut cycle, group, delay);
                continue;
            }
            Step::GiveUp(reason) => return give_up(&mut lock(&group.control), reason, began),
        };
        let error = match attempt {
            Attempt::Restored => match install(member, op, dead_position) {
                Ok((resume, facts)) => {
                    let control = &mut *lock(&group.control);
                    let now = Instant::now();
                    cycle.succeeded(&mut control.counters, &mut control.backoff, now);
                    control.stats.recoveries += 1;
                    control.stats.disconnected += now - began;
                    flight.latest = facts;
                    return Some(resume);
                }
                // The new connection failed before the operation could be sent
                // again: an attempt that failed, retried as the policy allows.
                Err(errno) => io::Error::from_raw_os_error(errno),
            },
            Attempt::Retry(error) => error,
            Attempt::GiveUp(error) => {
                let control = &mut *lock(&group.control);
                cycle.attempt_failed(
                    io::Error::from(error.kind()),
                    &control.policy,
                    &mut control.counters,
                    &mut control.backoff,
                    Instant::now(),
                );
                return give_up(control, RecoveryError::GaveUp(error), began);
            }
        };
        let control = &mut *lock(&group.control);
        cycle.attempt_failed(
            error,
            &control.policy,
            &mut control.counters,
            &mut control.backoff,
            Instant::now(),
        );
    }
}

/// What one call of the recovery function came to.
enum Attempt {
    /// The descriptor is a working connection again.
    Restored,
    /// `HA_RETRY`: not yet.
    Retry(io::Error),
    /// -1: stop recovering (QNX).
    GiveUp(io::Error),
}

fn attempt(member: &Member) -> Attempt {
    let group = &member.group;
    let recovery = {
        let mut control = lock(&group.control);
        control.stats.attempts += 1;
        control.recovery
    };
    let fd = member.fd;
    // SAFETY: the function and handle the caller attached, called the way
    // QNX's library calls them.
    let returned = recursion::run(group, || unsafe { (recovery.func)(fd, recovery.handle.0) });
    let error = io::Error::last_os_error();
    if returned == fd {
        return Attempt::Restored;
    }
    if returned == HA_RETRY {
        return Attempt::Retry(error);
    }
    if returned >= 0 {
        // QNX requires the failed descriptor back; a new one (say, from a plain
        // `open`) is put in its place as `ha_reopen` would have.
        return match adopt(member, returned) {
            Ok(()) => Attempt::Restored,
            Err(errno) => Attempt::Retry(io::Error::from_raw_os_error(errno)),
        };
    }
    Attempt::GiveUp(error)
}

fn adopt(member: &Member, fresh: c_int) -> Result<(), c_int> {
    if table::get(fresh).is_some_and(|m| Arc::ptr_eq(&m.group, &member.group)) {
        // Another member of the same group: nothing new to put in place.
        return Err(libc::EINVAL);
    }
    repoint::repoint(member.fd, fresh)?;
    let _ = raw::close(fresh);
    Ok(())
}

/// Checks the restored connection and decides about the failed operation:
/// positions an append-mode file at its end, tells whether the position was
/// kept, replays what a socket's policy replays.
fn install(
    member: &Member,
    op: OpInfo,
    dead_position: Option<u64>,
) -> Result<(Resume, FileFacts), c_int> {
    let group = &*member.group;
    let fd = member.fd;
    let mut facts = FileFacts::default();
    if group.kind == Kind::File {
        if group.append {
            // The next append lands at the end anyway; being there keeps the
            // position meaningful for the next "did it land" check.
            let end = raw::lseek(fd, 0, libc::SEEK_END)? as u64;
            facts.append = dead_position.map(|before| (before, end));
        } else {
            facts.position_kept = dead_position.is_some()
                && raw::lseek(fd, 0, libc::SEEK_CUR).ok().map(|p| p as u64) == dead_position;
        }
    }
    let ledger = lock(&group.ledger);
    let resume = after_recovery(group.kind, op, group.write_policy, &ledger, facts);
    if resume == Resume::ReplayThenResend
        && let Some(bytes) = ledger.replayable()
    {
        send_all(fd, bytes)?;
    }
    Ok((resume, facts))
}

fn send_all(fd: c_int, mut bytes: &[u8]) -> Result<(), c_int> {
    while !bytes.is_empty() {
        match raw::send(fd, bytes.as_ptr().cast(), bytes.len(), 0) {
            Ok(0) => return Err(libc::EPIPE),
            Ok(n) => bytes = &bytes[n as usize..],
            Err(libc::EINTR) => {}
            Err(errno) => return Err(errno),
        }
    }
    Ok(())
}

/// Waits as the schedule says, waking early when the kernel reports the mount
/// or the socket back (the same use of the watcher as the Rust cover's).
fn wait(
    watcher: &mut Option<Watcher>,
    cycle: &mut Cycle,
    group: &crate::group::Group,
    delay: std::time::Duration,
) {
    match watcher {
        Some(watcher) => {
            if watcher.wait(delay) {
                cycle.nudge(Instant::now());
            }
        }
        None => {
            // Watching starts only when a recovery has to wait. The server may
            // have come back while it started: try once more before waiting,
            // unless nothing failed yet.
            let started = watcher.insert(Watcher::for_origin(&group.origin));
            if started.sees_changes() && cycle.attempts() > 0 {
                cycle.retry_now(Instant::now());
            } else if started.wait(delay) {
                cycle.nudge(Instant::now());
            }
        }
    }
}

fn give_up(control: &mut Control, reason: RecoveryError, began: Instant) -> Option<Resume> {
    control.stats.gave_up += 1;
    control.stats.disconnected += began.elapsed();
    control.stats.last_give_up = Some(Arc::new(reason));
    None
}
