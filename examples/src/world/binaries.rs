//! Finding the server binaries this crate builds.
//!
//! `CARGO_BIN_EXE_*` exists only for the integration tests of this package,
//! so the library looks next to the running executable instead: tests run
//! from `target/<profile>/deps/` and examples from
//! `target/<profile>/examples/`, one level below the binaries.

use std::io;
use std::path::{Path, PathBuf};

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
