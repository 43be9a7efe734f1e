//! `ha_connection_ctrl`'s commands, applied to a group's limits and counters.

use std::time::Duration;

use libc::c_int;

use crate::group::Control;
use crate::types::{
    HA_RECOVERY_ACOUNT, HA_RECOVERY_DEADLINE, HA_RECOVERY_ENABLE, HA_RECOVERY_ICOUNT,
    HA_RECOVERY_RESET_ACOUNT, HA_RECOVERY_RESET_ICOUNT, HA_RECOVERY_SUSPEND,
};

/// QNX passes counts as the integer itself cast to `void *`; negative means
/// unlimited.
fn limit(arg: isize) -> Option<u32> {
    (arg >= 0).then(|| u32::try_from(arg).unwrap_or(u32::MAX))
}

/// Applies `command` with its argument; `EINVAL` for an unknown command.
pub(crate) fn apply(control: &mut Control, command: c_int, arg: isize) -> Result<(), c_int> {
    match command {
        HA_RECOVERY_ACOUNT => control.policy.total = limit(arg),
        HA_RECOVERY_ICOUNT => control.policy.attempts = limit(arg),
        HA_RECOVERY_SUSPEND => control.counters.suspended = true,
        HA_RECOVERY_ENABLE => control.counters.suspended = false,
        HA_RECOVERY_RESET_ICOUNT => control.counters.attempts_used = 0,
        HA_RECOVERY_RESET_ACOUNT => control.counters.recoveries_used = 0,
        HA_RECOVERY_DEADLINE => {
            control.policy.deadline = limit(arg).map(|ms| Duration::from_millis(ms.into()))
        }
        _ => return Err(libc::EINVAL),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::lock;
    use crate::group::tests::member_for_tests;

    #[test]
    fn commands_set_limits_counters_and_suspension() {
        let member = member_for_tests(-1);
        let control = &mut *lock(&member.group.control);
        assert_eq!(
            (control.policy.total, control.policy.attempts),
            (None, None)
        );
        apply(control, HA_RECOVERY_ACOUNT, 3).unwrap();
        apply(control, HA_RECOVERY_ICOUNT, 0).unwrap();
        assert_eq!(
            (control.policy.total, control.policy.attempts),
            (Some(3), Some(0))
        );
        apply(control, HA_RECOVERY_ACOUNT, -1).unwrap();
        assert_eq!(control.policy.total, None);

        control.counters.attempts_used = 2;
        control.counters.recoveries_used = 5;
        apply(control, HA_RECOVERY_RESET_ICOUNT, 0).unwrap();
        assert_eq!(control.counters.attempts_used, 0);
        apply(control, HA_RECOVERY_RESET_ACOUNT, 0).unwrap();
        assert_eq!(control.counters.recoveries_used, 0);

        apply(control, HA_RECOVERY_SUSPEND, 0).unwrap();
        assert!(control.counters.suspended);
        apply(control, HA_RECOVERY_ENABLE, 0).unwrap();
        assert!(!control.counters.suspended);

        apply(control, HA_RECOVERY_DEADLINE, 250).unwrap();
        assert_eq!(control.policy.deadline, Some(Duration::from_millis(250)));
        apply(control, HA_RECOVERY_DEADLINE, -1).unwrap();
        assert_eq!(control.policy.deadline, None);

        assert_eq!(apply(control, 99, 0), Err(libc::EINVAL));
    }
}
