//! A test's way into the window between a check that a covered prefix is
//! served and the call that relies on it: with `HA_COVER_TEST_STOP=<call>`
//! (`create`, `open`, `chdir`, `stat`, `reopen`) the process stops itself
//! with SIGSTOP there, the first time it makes that call, so that a test can
//! SIGKILL the server and detach its mount before letting it go on
//! (`tests/preload_detached.rs`). Read only on covered calls of those kinds.

use std::sync::atomic::{AtomicBool, Ordering};

use super::config;

/// Stops the process if the environment asks for a stop before `call`,
/// once per process.
pub(crate) fn before(call: &str) {
    static STOPPED: AtomicBool = AtomicBool::new(false);
    let asked = config::get().test_stop.as_deref() == Some(call.as_bytes());
    if asked && !STOPPED.swap(true, Ordering::Relaxed) {
        // SAFETY: raise(3) takes any signal number.
        unsafe { libc::raise(libc::SIGSTOP) };
    }
}
