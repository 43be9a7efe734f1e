//! What the log of one recovery says about it, shared by its events: the
//! connection, the descriptor that failed, the cause, the generation, and
//! (with the `tracing` feature) its span.

use std::sync::Arc;

use crate::cause::Cause;
use crate::connection::ConnectionInfo;

/// One recovery, from its failure to its end, as its events see it.
#[derive(Debug)]
pub(crate) struct Outage {
    pub connection: Arc<ConnectionInfo>,
    pub descriptor: Option<i32>,
    pub cause: Cause,
    /// The generation of the connection that failed.
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    pub generation: u64,
    /// Made by the first event of the recovery to be delivered (never under
    /// the group's lock: a subscriber may write as a span opens), dropped
    /// with the last: the span covers the recovery.
    #[cfg(feature = "tracing")]
    pub span: std::sync::OnceLock<tracing::Span>,
}

impl Outage {
    pub fn new(
        connection: Arc<ConnectionInfo>,
        descriptor: Option<i32>,
        cause: Cause,
        generation: u64,
    ) -> Self {
        Self {
            connection,
            descriptor,
            cause,
            generation,
            #[cfg(feature = "tracing")]
            span: std::sync::OnceLock::new(),
        }
    }
}
