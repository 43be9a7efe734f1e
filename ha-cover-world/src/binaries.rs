//! Finding the server binaries this crate builds.
//!
//! `CARGO_BIN_EXE_*` exists only for the integration tests of this package,
//! so the library looks next to the running executable instead: tests run
//! from `target/<profile>/deps/` and examples from
//! `target/<profile>/examples/`, one level below the binaries. A test of
//! another package (ha-cover's examples, ha-cover-c) does not get this
//! package's binaries built by cargo, so the first server it starts has cargo
//! build them, into the target directory and profile the test runs from.

use std::ffi::OsStr;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::serve;
use crate::supervisor::{Readiness, ServerSpec};

/// A supervisor spec for one of this crate's servers: its binary, or this very
/// executable in the server's role when it called
/// [`serve_if_asked`](crate::serve_if_asked) and the binary was not built.
///
/// `HA_COVER_WORLD_SELF_SERVE=1` prefers the executable itself, to test the way
/// a newcomer's `cargo run --example` works.
pub(crate) fn server_spec(name: &str, readiness: Readiness) -> io::Result<ServerSpec> {
    let prefer_self = std::env::var_os("HA_COVER_WORLD_SELF_SERVE").is_some_and(|v| v == "1");
    let binary = if prefer_self && serve::can_serve() {
        Err(io::ErrorKind::NotFound.into())
    } else if serve::can_serve() {
        // An example: its own executable serves when the binary is not there,
        // without a build the newcomer did not ask for.
        find(name)
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
/// `ha-socket-server`). `HA_COVER_BIN_DIR` says where to look; otherwise,
/// in a program cargo built (a test), cargo first brings the binaries up to
/// date (`cargo build -p ha-cover-world --bins`, once per process), then
/// they are looked for next to the program.
pub fn server_binary(name: &str) -> io::Result<PathBuf> {
    if std::env::var_os("HA_COVER_BIN_DIR").is_none() {
        build_servers()?;
    }
    find(name)
}

/// The binary `name` in `HA_COVER_BIN_DIR`, next to this executable or one
/// directory up.
fn find(name: &str) -> io::Result<PathBuf> {
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
                     `cargo build -p ha-cover-world --bins` \
                     (or set HA_COVER_BIN_DIR)"
                ),
            )
        })
}

/// Has cargo build this crate's binaries into the target directory and
/// profile of the running executable, when that is a test or an example
/// cargo built (`<target>/<profile>/deps/` or `.../examples/`); once per
/// process. Elsewhere it does nothing.
fn build_servers() -> io::Result<()> {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let Some((target_dir, profile)) = cargo_layout() else {
                return Ok(());
            };
            let cargo = std::env::var_os("CARGO")
                .or_else(|| option_env!("CARGO").map(Into::into))
                .unwrap_or_else(|| "cargo".into());
            let output = Command::new(cargo)
                .args(["build", "--quiet", "-p", "ha-cover-world", "--bins"])
                .args(["--profile", &profile, "--target-dir"])
                .arg(&target_dir)
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .output()
                .map_err(|e| format!("cargo build -p ha-cover-world --bins: {e}"))?;
            if output.status.success() {
                Ok(())
            } else {
                Err(format!(
                    "cargo build -p ha-cover-world --bins failed:\n{}",
                    String::from_utf8_lossy(&output.stderr)
                ))
            }
        })
        .clone()
        .map_err(io::Error::other)
}

/// The target directory and profile of the running executable, if cargo
/// built it as a test or an example.
fn cargo_layout() -> Option<(PathBuf, String)> {
    let exe = std::env::current_exe().ok()?;
    let kind_dir = exe.parent()?;
    if !matches!(
        kind_dir.file_name().and_then(OsStr::to_str),
        Some("deps" | "examples")
    ) {
        return None;
    }
    let profile_dir = kind_dir.parent()?;
    let profile = match profile_dir.file_name()?.to_str()? {
        "debug" => "dev".to_owned(),
        name => name.to_owned(),
    };
    Some((profile_dir.parent()?.to_path_buf(), profile))
}
