//! The C-visible types and constants of `<ha/types.h>` and `<ha/cover.h>`.

use libc::{c_int, c_uint, c_void};

/// QNX's `RFp`: a recovery function, called with the failed descriptor and the
/// handle given to `ha_attach`. It returns the descriptor (recovered: the
/// failed operation is sent again), -1 (the caller gets the original error), or
/// [`HA_RETRY`].
pub type RFp = Option<unsafe extern "C" fn(coid: c_int, rhdl: *mut c_void) -> c_int>;

/// `ha_attach` flag: replace the recovery function of an HA-aware descriptor.
pub const HAREPLACERECOVERYFN: c_uint = 0x1;

/// Socket write policy flag (Linux extension): a failed write is always sent
/// again on the new connection (an idempotent protocol).
pub const HA_WRITE_ALWAYS: c_uint = 0x100;
/// Socket write policy flag (Linux extension): bytes sent since the last answer
/// are kept and sent again, then the failed operation.
pub const HA_WRITE_REPLAY: c_uint = 0x200;

/// What a recovery function returns (Linux extension) when the server is not
/// back yet: call it again after a backoff, or as soon as the kernel reports
/// the mount or the socket back, while the attempt limit and deadline allow.
pub const HA_RETRY: c_int = -2;

/// `ha_connection_ctrl`: most recoveries in all (negative: unlimited).
pub const HA_RECOVERY_ACOUNT: c_int = 1;
/// `ha_connection_ctrl`: most attempts per failure (negative: unlimited).
pub const HA_RECOVERY_ICOUNT: c_int = 2;
/// `ha_connection_ctrl`: suspend recovery.
pub const HA_RECOVERY_SUSPEND: c_int = 3;
/// `ha_connection_ctrl`: enable recovery again.
pub const HA_RECOVERY_ENABLE: c_int = 4;
/// `ha_connection_ctrl`: forget the attempts used on the current failure.
pub const HA_RECOVERY_RESET_ICOUNT: c_int = 5;
/// `ha_connection_ctrl`: forget the recoveries counted against the total.
pub const HA_RECOVERY_RESET_ACOUNT: c_int = 6;
/// `ha_connection_ctrl` (Linux extension): how long one recovery may take, in
/// milliseconds (negative: no deadline; the default is 30 000).
pub const HA_RECOVERY_DEADLINE: c_int = 0x100;

/// What recovery has done on a descriptor's group (`ha_cover_stats`).
#[repr(C)]
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct HaCoverStats {
    /// Failures that started a recovery.
    pub failures: u64,
    /// Successful recoveries.
    pub recoveries: u64,
    /// Calls of the recovery function.
    pub attempts: u64,
    /// Recoveries that gave up.
    pub gave_up: u64,
    /// Operations that ended with their fate unknown (see `HA_WRITE_*`).
    pub indeterminate: u64,
    /// The errno of the last failure; 0 before any, or when it was end-of-file.
    pub last_errno: c_int,
}

/// `struct ha_event` kinds (Linux extension): a failure was seen and recovery starts.
pub const HA_EVENT_FAILED: c_int = 1;
/// An attempt of the recovery function failed (`error` is its errno).
pub const HA_EVENT_ATTEMPT_FAILED: c_int = 2;
/// The connection is back; the failed call is sent again next.
pub const HA_EVENT_RECOVERED: c_int = 3;
/// Recovery gave up (`reason` says why); the call returns its own error.
pub const HA_EVENT_GAVE_UP: c_int = 4;
/// The connection is back, but what was sent before the failure was not sent
/// again (see `HA_WRITE_*`); `unanswered` bytes' fate is unknown.
pub const HA_EVENT_INDETERMINATE: c_int = 5;
/// The recovery goes on (after 1 s, then every 5 s by default: see
/// `HA_COVER_PROGRESS`); `attempt` attempts failed so far, `downtime_ns`
/// since the failure.
pub const HA_EVENT_WAITING: c_int = 6;

/// `struct ha_event` `reason` of `HA_EVENT_GAVE_UP`: recovery is suspended.
pub const HA_GAVE_UP_SUSPENDED: c_int = 1;
/// The total of recoveries (`HA_RECOVERY_ACOUNT`) is used up.
pub const HA_GAVE_UP_TOTAL: c_int = 2;
/// The attempts for one failure (`HA_RECOVERY_ICOUNT`) are used up.
pub const HA_GAVE_UP_ATTEMPTS: c_int = 3;
/// The deadline (`HA_RECOVERY_DEADLINE`) passed.
pub const HA_GAVE_UP_DEADLINE: c_int = 4;
/// The recovery function returned -1.
pub const HA_GAVE_UP_FUNCTION: c_int = 5;
/// The recovery could not finish (the process forked while another thread
/// recovered: in the child).
pub const HA_GAVE_UP_CANCELLED: c_int = 6;
/// Any other reason.
pub const HA_GAVE_UP_OTHER: c_int = 7;
/// The path reopened names another file now (the preload mode's check, or
/// the runtime's identity check).
pub const HA_GAVE_UP_IDENTITY: c_int = 8;

/// What recovery did (`ha_cover_on_event`).
#[repr(C)]
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct HaEvent {
    /// `HA_EVENT_*`.
    pub kind: c_int,
    /// `HA_EVENT_FAILED`: the errno that revealed the failure (0 for an
    /// end-of-file); `HA_EVENT_ATTEMPT_FAILED`: the attempt's errno.
    pub error: c_int,
    /// `HA_EVENT_ATTEMPT_FAILED`: which attempt, from 1; `HA_EVENT_RECOVERED`:
    /// the attempts the recovery took; `HA_EVENT_WAITING`: attempts failed so
    /// far.
    pub attempt: c_uint,
    /// `HA_EVENT_GAVE_UP`: `HA_GAVE_UP_*`.
    pub reason: c_int,
    /// `HA_EVENT_INDETERMINATE`: bytes whose fate is unknown.
    pub unanswered: u64,
    /// `HA_EVENT_RECOVERED`: nanoseconds from the failure to the connection
    /// being back; `HA_EVENT_WAITING`, `HA_EVENT_GAVE_UP`: since the failure.
    pub downtime_ns: u64,
}

/// A callback told every event of a group (`ha_cover_on_event`), on the
/// thread that recovers, with no lock of the library held.
pub type HaEventFn =
    Option<unsafe extern "C" fn(coid: c_int, event: *const HaEvent, ctx: *mut c_void)>;
