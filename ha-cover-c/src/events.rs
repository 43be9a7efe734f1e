//! Recovery events, told to a C callback (`ha_cover_on_event`) as `struct
//! ha_event`.

use std::io;
use std::sync::Arc;

use ha_cover_engine::{Event, EventKind, EventSink, RecoveryError};
use libc::{c_int, c_void};

use crate::types::{
    HA_EVENT_ATTEMPT_FAILED, HA_EVENT_FAILED, HA_EVENT_GAVE_UP, HA_EVENT_INDETERMINATE,
    HA_EVENT_RECOVERED, HA_EVENT_WAITING, HA_GAVE_UP_ATTEMPTS, HA_GAVE_UP_CANCELLED,
    HA_GAVE_UP_DEADLINE, HA_GAVE_UP_FUNCTION, HA_GAVE_UP_IDENTITY, HA_GAVE_UP_OTHER,
    HA_GAVE_UP_SUSPENDED, HA_GAVE_UP_TOTAL, HaEvent,
};

/// The caller's context pointer.
#[derive(Clone, Copy)]
struct Context(*mut c_void);

// SAFETY: the library only passes the pointer back to the caller's callback,
// which `ha_cover_on_event`'s contract makes callable from any thread.
unsafe impl Send for Context {}
// SAFETY: as above; the library never dereferences it.
unsafe impl Sync for Context {}

/// A sink that tells `func` each event of `coid`'s group (after the log's
/// line, when `HA_COVER_LOG` asks for them).
pub(crate) fn sink(
    coid: c_int,
    func: unsafe extern "C" fn(c_int, *const HaEvent, *mut c_void),
    ctx: *mut c_void,
) -> EventSink {
    let ctx = Context(ctx);
    let log = crate::log::sink();
    Arc::new(move |event: &Event<'_>| {
        if let Some(log) = &log {
            log(event);
        }
        let Some(event) = to_c(event) else { return };
        let ctx = ctx;
        // SAFETY: the callback and context the caller registered, called as
        // `ha_cover_on_event` documents; `event` lives across the call.
        unsafe { func(coid, &event, ctx.0) };
    })
}

fn to_c(event: &Event<'_>) -> Option<HaEvent> {
    let mut out = HaEvent::default();
    match &event.kind {
        EventKind::Failed { cause } => {
            out.kind = HA_EVENT_FAILED;
            out.error = cause.errno().unwrap_or(0);
        }
        EventKind::AttemptFailed { number, error } => {
            out.kind = HA_EVENT_ATTEMPT_FAILED;
            out.error = errno_of(error);
            out.attempt = *number;
        }
        EventKind::Waiting {
            elapsed, attempts, ..
        } => {
            out.kind = HA_EVENT_WAITING;
            out.attempt = *attempts;
            out.downtime_ns = nanos(*elapsed);
        }
        EventKind::Recovered { attempts, downtime } => {
            out.kind = HA_EVENT_RECOVERED;
            out.attempt = *attempts;
            out.downtime_ns = nanos(*downtime);
        }
        EventKind::GaveUp { reason, elapsed } => {
            out.kind = HA_EVENT_GAVE_UP;
            out.reason = reason_of(reason);
            out.downtime_ns = nanos(*elapsed);
        }
        EventKind::Indeterminate { unanswered } => {
            out.kind = HA_EVENT_INDETERMINATE;
            out.unanswered = *unanswered;
        }
        _ => return None,
    }
    Some(out)
}

fn nanos(duration: std::time::Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

fn errno_of(error: &io::Error) -> c_int {
    error.raw_os_error().unwrap_or(libc::EIO)
}

fn reason_of(reason: &RecoveryError) -> c_int {
    match reason {
        RecoveryError::Suspended => HA_GAVE_UP_SUSPENDED,
        RecoveryError::TotalLimit { .. } => HA_GAVE_UP_TOTAL,
        RecoveryError::AttemptsExhausted { .. } => HA_GAVE_UP_ATTEMPTS,
        RecoveryError::DeadlinePassed { .. } => HA_GAVE_UP_DEADLINE,
        RecoveryError::GaveUp(_) => HA_GAVE_UP_FUNCTION,
        RecoveryError::Cancelled => HA_GAVE_UP_CANCELLED,
        RecoveryError::IdentityChanged(_) => HA_GAVE_UP_IDENTITY,
        _ => HA_GAVE_UP_OTHER,
    }
}
