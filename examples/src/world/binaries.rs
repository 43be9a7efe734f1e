//! Finding the server binaries this crate builds.
//!
//! `CARGO_BIN_EXE_*` exists only for the integration tests of this package,
//! so the library looks next to the running executable instead: tests run
//! from `target/<profile>/deps/` and examples from
//! `target/<profile>/examples/`, one level below the binaries.

use std::io;
use std::path::{Path, PathBuf};

use crate::world::serve;
use crate::world::supervisor::{Readiness, ServerSpec};

/// A supervisor spec for one of this crate's servers: its binary, or this very
/// executable in the server's role when it called
/// [`serve_if_asked`](crate::world::serve_if_asked) and the binary was not built.
///
/// `HA_COVER_WORLD_SELF_SERVE=1` prefers the executable itself, to test the way
/// a newcomer's `cargo run --example` works.
pub(crate) fn server_spec(name: &str, readiness: Readiness) -> io::Result<ServerSpec> {
    let prefer_self = std::env::var_os("HA_COVER_WORLD_SELF_SERVE").is_some_and(|v| v == "1");
    let binary = if prefer_self && serve::can_serve() {
        Err(io::ErrorKind::NotFound.into())
    } else {
        server_binary(name)
    };
    match binary {
        Ok(program) => Ok(ServerSpec::new(name, program, readiness)),
        Err(_) if serve::can_serve() => {
            Ok(ServerSpec::new(name, std::env::current_exe()?, readiness)
                .env(serve::ROLE_VAR, name))
        }
        Err(e) => Err(e),
    }
}

/// The path of one of this crate's binaries (`ha-fuse-server`,
/// `ha-socket-server`). `HA_COVER_BIN_DIR` overrides where to look.
pub fn server_binary(name: &str) -> io::Result<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(dir) = std::env::var_os("HA_COVER_BIN_DIR") {
        dirs.push(PathBuf::from(dir));
    }
    if let Ok(exe) = std::env::current_exe()
        && let Some(dir) = exe.parent()
    {
        dirs.push(dir.to_path_buf());
        dirs.extend(dir.parent().map(Path::to_path_buf));
    }
    dirs.iter()
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!(
                    "{name} not found in {dirs:?}: build it with \
                     `cargo build -p ha-cover-examples --bins` \
                     (or set HA_COVER_BIN_DIR)"
                ),
            )
        })
}
