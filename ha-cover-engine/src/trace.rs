//! Events as `tracing` logs them, in the manner of the ecosystem: one span
//! per recovery (`ha_cover::recovery`) carrying the connection, the cause and
//! the generation; inside it, a line when the connection is lost, a bounded
//! number of "still recovering" lines, and one when it is back or recovery
//! gives up. Each attempt is at TRACE.
//!
//! A subscriber that leaves the span out (filtered at WARN, say) still gets
//! lines that name the connection: its fields then come with the event.

use tracing::Span;

use crate::cause::CauseName;
use crate::event::{Event, EventKind, Recorded, Scope};
use crate::human::Human;
use crate::outage::Outage;

/// The span of a recovery, made at its first delivered event: its parent is
/// the span current where the failure was seen (the caller's request, say).
fn span(outage: &Outage) -> &Span {
    outage.span.get_or_init(|| {
        let connection = &outage.connection;
        tracing::info_span!(
            target: "ha_cover",
            "recovery",
            name = connection.name(),
            path = connection.path().map(|path| tracing::field::display(path.display())),
            peer = connection.peer(),
            kind = %connection.kind_name(),
            fd = outage.descriptor,
            cause = %CauseName(&outage.cause),
            generation = outage.generation,
        )
    })
}

/// Logs one event, in its recovery's span when there is one.
macro_rules! log {
    ($level:ident, $recorded:expr, $event:expr, $($fields:tt)+) => {{
        let parent = match &$recorded.scope {
            Scope::Recovery(outage) => Some((span(outage), outage)),
            Scope::Connection(_) => None,
        };
        match parent {
            Some((span, _)) if !span.is_disabled() => tracing::event!(
                target: "ha_cover",
                parent: span,
                tracing::Level::$level,
                $($fields)+
            ),
            Some((_, outage)) => tracing::event!(
                target: "ha_cover",
                tracing::Level::$level,
                connection = %$event.connection,
                fd = outage.descriptor,
                cause = %CauseName(&outage.cause),
                $($fields)+
            ),
            None => tracing::event!(
                target: "ha_cover",
                tracing::Level::$level,
                connection = %$event.connection,
                $($fields)+
            ),
        }
    }};
}

/// Logs `event`, recorded as `recorded`.
pub(crate) fn log(recorded: &Recorded, event: &Event<'_>) {
    match &event.kind {
        EventKind::Failed { .. } => log!(WARN, recorded, event, "connection lost; recovering"),
        EventKind::AttemptFailed { number, error } => log!(
            TRACE,
            recorded,
            event,
            attempt = number,
            %error,
            "recovery attempt failed"
        ),
        EventKind::Waiting {
            elapsed,
            attempts,
            waiting_for,
        } => log!(
            WARN,
            recorded,
            event,
            elapsed = %Human(*elapsed),
            attempts,
            waiting_for = waiting_for.map(tracing::field::display),
            "still recovering"
        ),
        EventKind::Recovered { attempts, downtime } => log!(
            INFO,
            recorded,
            event,
            outcome = %"recovered",
            downtime = %Human(*downtime),
            attempts,
            "connection recovered"
        ),
        EventKind::GaveUp { reason, elapsed } => log!(
            ERROR,
            recorded,
            event,
            outcome = %"gave_up",
            elapsed = %Human(*elapsed),
            %reason,
            "not recovered"
        ),
        EventKind::Indeterminate { unanswered } => log!(
            WARN,
            recorded,
            event,
            unanswered,
            "recovered, but bytes sent before the failure were not sent again"
        ),
    }
}
