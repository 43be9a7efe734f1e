//! `ha_connection_ctrl`'s commands, applied to a group's limits and counters.

use std::time::Duration;

use libc::c_int;

use crate::types::{
    HA_RECOVERY_ACOUNT, HA_RECOVERY_DEADLINE, HA_RECOVERY_ENABLE, HA_RECOVERY_ICOUNT,
    HA_RECOVERY_RESET_ACOUNT, HA_RECOVERY_RESET_ICOUNT, HA_RECOVERY_SUSPEND,
};
use ha_cover_engine::Group;

/// QNX passes counts as the integer itself cast to `void *`; negative means
/// unlimited.
fn limit(arg: isize) -> Option<u32> {
    (arg >= 0).then(|| u32::try_from(arg).unwrap_or(u32::MAX))
}

/// Applies `command` with its argument; `EINVAL` for an unknown command.
pub(crate) fn apply(group: &mut Group, command: c_int, arg: isize) -> Result<(), c_int> {
    match command {
        HA_RECOVERY_ACOUNT => group.set_total_limit(limit(arg)),
        HA_RECOVERY_ICOUNT => group.set_attempt_limit(limit(arg)),
        HA_RECOVERY_SUSPEND => group.suspend(),
        HA_RECOVERY_ENABLE => group.enable(),
        HA_RECOVERY_RESET_ICOUNT => group.reset_attempts(),
        HA_RECOVERY_RESET_ACOUNT => group.reset_total(),
        HA_RECOVERY_DEADLINE => {
            group.set_deadline(limit(arg).map(|ms| Duration::from_millis(ms.into())))
        }
        _ => return Err(libc::EINVAL),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::tests::member_for_tests;

    #[test]
    fn commands_set_limits_counters_and_suspension() {
        let member = member_for_tests(-1);
        let state = &mut member.group.shared.lock();
        let group = &mut state.group;
        assert_eq!(
            (group.policy().total, group.policy().attempts),
            (None, None)
        );
        apply(group, HA_RECOVERY_ACOUNT, 3).unwrap();
        apply(group, HA_RECOVERY_ICOUNT, 0).unwrap();
        assert_eq!(
            (group.policy().total, group.policy().attempts),
            (Some(3), Some(0))
        );
        apply(group, HA_RECOVERY_ACOUNT, -1).unwrap();
        assert_eq!(group.policy().total, None);

        apply(group, HA_RECOVERY_SUSPEND, 0).unwrap();
        assert!(group.is_suspended());
        apply(group, HA_RECOVERY_ENABLE, 0).unwrap();
        assert!(!group.is_suspended());

        apply(group, HA_RECOVERY_DEADLINE, 250).unwrap();
        assert_eq!(group.policy().deadline, Some(Duration::from_millis(250)));
        apply(group, HA_RECOVERY_DEADLINE, -1).unwrap();
        assert_eq!(group.policy().deadline, None);

        assert_eq!(apply(group, 99, 0), Err(libc::EINVAL));
    }
}
