//! Waiting between recovery attempts.

use std::time::Duration;

/// Waits before the next attempt.
pub(crate) fn pause(delay: Duration) {
    std::thread::sleep(delay);
}
