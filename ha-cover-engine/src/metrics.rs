//! Events as the `metrics` facade counts them, for any exporter (Prometheus,
//! StatsD...). Every metric is labelled with the connection's `kind` (`file`,
//! `socket`) and `connection`, the name its user chose (empty when none was).
//!
//! | metric | type | what |
//! | --- | --- | --- |
//! | `ha_cover_failures_total` | counter | failures that started a recovery |
//! | `ha_cover_recoveries_total` | counter | successful recoveries |
//! | `ha_cover_give_ups_total` | counter | recoveries that gave up, labelled with `reason` |
//! | `ha_cover_indeterminate_total` | counter | operations whose bytes' fate was unknown |
//! | `ha_cover_retransmitted_bytes_total` | counter | bytes written again on a new connection |
//! | `ha_cover_downtime_seconds` | histogram | from a failure to the connection back (`outcome="recovered"`) or to giving up (`outcome="gave_up"`) |
//! | `ha_cover_recovering` | gauge | connection groups recovering now |

use std::sync::Once;

use metrics::{
    Unit, counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram,
};

use crate::event::{Recorded, What};

/// The metrics' names.
pub(crate) mod name {
    pub const FAILURES: &str = "ha_cover_failures_total";
    pub const RECOVERIES: &str = "ha_cover_recoveries_total";
    pub const GIVE_UPS: &str = "ha_cover_give_ups_total";
    pub const INDETERMINATE: &str = "ha_cover_indeterminate_total";
    pub const RETRANSMITTED: &str = "ha_cover_retransmitted_bytes_total";
    pub const DOWNTIME: &str = "ha_cover_downtime_seconds";
    pub const RECOVERING: &str = "ha_cover_recovering";
}

fn describe() {
    describe_counter!(name::FAILURES, "failures that started a recovery");
    describe_counter!(name::RECOVERIES, "successful recoveries");
    describe_counter!(name::GIVE_UPS, "recoveries that gave up, by reason");
    describe_counter!(
        name::INDETERMINATE,
        "operations recovered whose earlier bytes' fate is unknown"
    );
    describe_counter!(
        name::RETRANSMITTED,
        Unit::Bytes,
        "bytes written again on a recovered connection"
    );
    describe_histogram!(
        name::DOWNTIME,
        Unit::Seconds,
        "time from a failure to the connection back, or to giving up"
    );
    describe_gauge!(name::RECOVERING, "connection groups recovering now");
}

/// Counts one recorded event.
pub(crate) fn count(recorded: &Recorded) {
    // Described to the recorder in place at the first event: one installed
    // later has the metrics without their descriptions.
    static DESCRIBED: Once = Once::new();
    DESCRIBED.call_once(describe);
    let connection = recorded.scope.connection();
    let kind = connection.kind_name();
    let name = connection.name().unwrap_or_default().to_owned();
    let labels = [("kind", kind.to_owned()), ("connection", name)];
    match &recorded.what {
        What::Failed => {
            counter!(name::FAILURES, &labels).increment(1);
            gauge!(name::RECOVERING, &labels).increment(1.0);
        }
        What::AttemptFailed { .. } | What::Waiting { .. } => {}
        What::Recovered { downtime, .. } => {
            counter!(name::RECOVERIES, &labels).increment(1);
            gauge!(name::RECOVERING, &labels).decrement(1.0);
            let [kind, connection] = labels;
            histogram!(
                name::DOWNTIME,
                &[kind, connection, ("outcome", "recovered".to_owned())]
            )
            .record(downtime.as_secs_f64());
        }
        What::GaveUp { reason, elapsed } => {
            gauge!(name::RECOVERING, &labels).decrement(1.0);
            let [kind, connection] = labels;
            let reason = ("reason", reason.reason_name().to_owned());
            counter!(name::GIVE_UPS, &[kind.clone(), connection.clone(), reason]).increment(1);
            histogram!(
                name::DOWNTIME,
                &[kind, connection, ("outcome", "gave_up".to_owned())]
            )
            .record(elapsed.as_secs_f64());
        }
        What::Indeterminate { .. } => counter!(name::INDETERMINATE, &labels).increment(1),
        What::Retransmitted { bytes } => counter!(name::RETRANSMITTED, &labels).increment(*bytes),
    }
}
