//! `<ha/cover.h>`: making a descriptor HA-aware, and controlling its recovery.

use libc::{c_int, c_uint, c_void};

use super::recovery;
use crate::types::{HaCoverStats, HaEventFn, RFp};
use crate::{attach, ctrl, errno, table};

/// Makes `coid` HA-aware: a failure that means its server died calls `rfn`
/// with `coid` and `rhdl`. `EEXIST` if it already is, unless `flags` has
/// `HAREPLACERECOVERYFN`, which replaces the recovery function and handle of
/// its whole group. `HA_WRITE_ALWAYS` or `HA_WRITE_REPLAY` choose how a socket's
/// failed writes are sent again.
///
/// # Safety
/// `rfn`, if not null, must be safe to call with `coid` and `rhdl` from any
/// thread that uses the descriptor.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ha_attach(
    coid: c_int,
    rfn: RFp,
    rhdl: *mut c_void,
    flags: c_uint,
) -> c_int {
    errno::ret(attach::attach(coid, recovery(rfn, rhdl), flags, None).map(|()| 0))
}

/// Makes `coid` an ordinary descriptor again; it stays open. `EBADF` if it is
/// not HA-aware.
#[unsafe(no_mangle)]
pub extern "C" fn ha_detach(coid: c_int) -> c_int {
    errno::ret(attach::detach(coid).map(|()| 0))
}

/// Controls recovery of `coid`'s group: `HA_RECOVERY_ACOUNT`, `_ICOUNT`,
/// `_SUSPEND`, `_ENABLE`, `_RESET_ICOUNT`, `_RESET_ACOUNT` (QNX) and
/// `HA_RECOVERY_DEADLINE` (milliseconds); counts are the integer itself cast to
/// `void *`, negative for unlimited. `EBADF` if `coid` is not HA-aware,
/// `EINVAL` for an unknown command.
#[unsafe(no_mangle)]
pub extern "C" fn ha_connection_ctrl(coid: c_int, command: c_int, arg: *mut c_void) -> c_int {
    let Some(member) = table::get(coid) else {
        return errno::ret(Err(libc::EBADF));
    };
    let result = ctrl::apply(&mut member.group.shared.lock().group, command, arg as isize);
    errno::ret(result.map(|()| 0))
}

/// Copies what recovery has done on `coid`'s group into `*stats` (Linux
/// extension). `EBADF` if `coid` is not HA-aware, `EINVAL` for a null `stats`.
///
/// # Safety
/// `stats` is null or points to writable memory for a `struct ha_cover_stats`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ha_cover_stats(coid: c_int, stats: *mut HaCoverStats) -> c_int {
    let Some(member) = table::get(coid) else {
        return errno::ret(Err(libc::EBADF));
    };
    if stats.is_null() {
        return errno::ret(Err(libc::EINVAL));
    }
    let seen = member.group.shared.lock().group.stats().clone();
    let out = HaCoverStats {
        failures: seen.failures,
        recoveries: seen.recoveries,
        attempts: seen.attempts,
        gave_up: seen.gave_up,
        indeterminate: seen.indeterminate,
        last_errno: seen.last_errno.unwrap_or(0),
    };
    // SAFETY: see the function's contract; checked non-null above.
    unsafe { stats.write(out) };
    0
}

/// Calls `func` with `coid` and `ctx` for every event of `coid`'s group from
/// now on (Linux extension): a failure, each failed attempt, the recovery or
/// the giving up, an indeterminate outcome. `func` runs on the thread that
/// recovers, with no lock of the library held (it may call
/// `ha_cover_stats`). A null `func` stops the calls. 0, or -1 with `EBADF` if
/// `coid` is not HA-aware.
///
/// # Safety
/// `func`, if not null, must be safe to call with `coid`, an event and `ctx`
/// from any thread that uses the descriptor.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ha_cover_on_event(
    coid: c_int,
    func: HaEventFn,
    ctx: *mut c_void,
) -> c_int {
    let Some(member) = table::get(coid) else {
        return errno::ret(Err(libc::EBADF));
    };
    let sink = match func {
        Some(func) => Some(crate::events::sink(coid, func, ctx)),
        // The log's lines go on.
        None => crate::log::sink(),
    };
    member.group.shared.lock().group.set_sink(sink);
    0
}
