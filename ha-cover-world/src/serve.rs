//! Letting a program be its own servers.
//!
//! The world's servers are separate programs (`ha-fuse-server`,
//! `ha-socket-server`), which a test has cargo build when it starts its first
//! server ([`server_binary`](crate::server_binary)). An example should start
//! at once, without a build the newcomer did not ask for, so an example that
//! starts a server calls [`serve_if_asked`] first thing in `main`: when the
//! binary is not there, the supervisor then starts the example's own
//! executable in the server's role, selected by an environment variable, and
//! a newcomer's first command works without a separate build step.

use std::ffi::OsString;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

/// The environment variable that selects a server role.
pub(crate) const ROLE_VAR: &str = "HA_COVER_WORLD_ROLE";

static CAN_SERVE: AtomicBool = AtomicBool::new(false);

/// Becomes the requested server and exits, when this process was started as
/// one; otherwise records that this executable can play the world's servers
/// and returns. Call it first thing in `main`.
pub fn serve_if_asked() {
    let Some(role) = std::env::var_os(ROLE_VAR) else {
        CAN_SERVE.store(true, Ordering::Relaxed);
        return;
    };
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let code = match role.to_str() {
        Some("ha-fuse-server") => crate::fuse_main::main(args),
        Some("ha-socket-server") => crate::socket_main::main(
            args.into_iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect(),
        ),
        _ => {
            eprintln!("{ROLE_VAR}={role:?} is not a server of the world");
            ExitCode::from(2)
        }
    };
    // Exits without returning to the caller's `main`, which would run the
    // example a second time inside the server.
    std::process::exit(if code == ExitCode::SUCCESS { 0 } else { 1 });
}

/// Whether [`serve_if_asked`] ran in this process.
pub(crate) fn can_serve() -> bool {
    CAN_SERVE.load(Ordering::Relaxed)
}
