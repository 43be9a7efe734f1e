//! Skip a real-server test when its component is missing, or fail it in CI.
//!
//! A developer without FUSE or redis still gets a green `cargo test`, with a
//! message saying what was skipped and how to install it. CI sets
//! `HA_COVER_REQUIRE_REAL=1`, under which a missing component fails the test
//! instead: a skipped test there would be a test that silently never runs.

use std::fs::OpenOptions;
use std::path::PathBuf;

/// How to get every component on Debian/Ubuntu.
pub const INSTALL_HINT: &str = "apt-get install fuse3 bindfs redis-server";

/// Something a real-server test needs from the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Component {
    /// Mounting FUSE file systems: `/dev/fuse`, and root or `fusermount3`.
    Fuse,
    /// Debian's `bindfs` (and FUSE).
    Bindfs,
    /// `redis-server`.
    Redis,
    /// OpenSSH's daemon, `sshd` (which is not always on a user's `PATH`).
    Sshd,
    /// A program on `PATH` (`name`), from the Debian package `package`.
    Program {
        /// The command.
        name: &'static str,
        /// The Debian package that has it.
        package: &'static str,
    },
}

/// Why `component` is unusable here, or `None` when it is available.
pub fn missing(component: Component) -> Option<String> {
    match component {
        Component::Fuse => fuse_missing(),
        Component::Bindfs => fuse_missing().or_else(|| program_missing("bindfs")),
        Component::Redis => program_missing("redis-server"),
        Component::Sshd => crate::ssh_server::sshd_path()
            .is_none()
            .then(|| "no sshd on PATH nor in /usr/sbin".to_owned()),
        Component::Program { name, .. } => program_missing(name),
    }
}

/// How to install `component`.
fn install_hint(component: Component) -> String {
    match component {
        Component::Program { package, .. } => format!("apt-get install {package}"),
        Component::Sshd => "apt-get install openssh-server".to_owned(),
        _ => INSTALL_HINT.to_owned(),
    }
}

/// True when `component` is available. Otherwise prints why the calling test
/// is skipped and returns false, or panics when `HA_COVER_REQUIRE_REAL=1`.
pub fn require(component: Component) -> bool {
    let strict = std::env::var_os("HA_COVER_REQUIRE_REAL").is_some_and(|v| v == "1");
    verdict(component, missing(component), strict)
}

fn verdict(component: Component, missing: Option<String>, strict: bool) -> bool {
    let Some(why) = missing else {
        return true;
    };
    let test = std::thread::current()
        .name()
        .unwrap_or("this test")
        .to_owned();
    let msg = format!(
        "{component:?} is missing: {why}. Install it with `{}`",
        install_hint(component)
    );
    if strict {
        panic!("{test}: {msg} (HA_COVER_REQUIRE_REAL=1 forbids skipping)");
    }
    eprintln!("SKIPPED {test}: {msg} (set HA_COVER_REQUIRE_REAL=1 to fail instead)");
    false
}

/// Returns from the calling test (with `()` or the given value) unless every
/// listed [`Component`] is available; see [`require()`].
///
/// ```no_run
/// use ha_cover_world::require;
/// use ha_cover_world::Component;
///
/// fn a_test() {
///     require!(Component::Fuse, Component::Redis);
///     // ... the test body runs only when both are there.
/// }
///
/// fn a_fallible_test() -> std::io::Result<()> {
///     require!(Component::Bindfs; Ok(()));
///     Ok(())
/// }
/// ```
#[macro_export]
macro_rules! require {
    ($($component:expr),+ $(,)? ; $skipped:expr) => {
        if !( true $( && $crate::require($component) )+ ) {
            return $skipped;
        }
    };
    ($($component:expr),+ $(,)?) => {
        $crate::require!($($component),+ ; ())
    };
}

fn fuse_missing() -> Option<String> {
    if let Err(e) = OpenOptions::new().read(true).write(true).open("/dev/fuse") {
        return Some(format!("cannot open /dev/fuse ({e})"));
    }
    // SAFETY: geteuid(2) cannot fail and touches no memory.
    let root = unsafe { libc::geteuid() } == 0;
    if !root && find_program("fusermount3").is_none() {
        return Some("not root and no fusermount3 on PATH".to_owned());
    }
    None
}

fn program_missing(name: &str) -> Option<String> {
    match find_program(name) {
        Some(_) => None,
        None => Some(format!("no {name} on PATH")),
    }
}

fn find_program(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| {
            p.metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_component_skips_or_fails() {
        assert!(verdict(Component::Redis, None, true));
        assert!(!verdict(Component::Redis, Some("gone".into()), false));
        let failed = std::panic::catch_unwind(|| {
            verdict(Component::Redis, Some("gone".into()), true);
        });
        let msg = *failed.unwrap_err().downcast::<String>().unwrap();
        assert!(msg.contains("Redis is missing: gone"), "{msg}");
        assert!(msg.contains(INSTALL_HINT), "{msg}");
    }
}
