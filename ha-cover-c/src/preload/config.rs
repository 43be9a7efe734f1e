//! What the preload mode covers and how it recovers, read from the
//! environment once, when the library is loaded.
//!
//! - `HA_COVER_PATHS`: colon-separated path prefixes (the mount points of the
//!   file systems to cover). Unset or empty, the preload mode is off and every
//!   interposed call goes straight to glibc.
//! - `HA_COVER_DEADLINE`: how long one recovery, or one path-level call
//!   waiting for the server, may take: `30s` (the default), `500ms`, `2m`, a
//!   number of seconds, or `none`.
//! - `HA_COVER_ATTEMPTS`: reopen attempts per failure: a count, or `unlimited`
//!   (the default: as many as the deadline allows).
//! - `HA_COVER_VERIFY`: `1` (the default) checks that a reopened path names the
//!   same file (its inode number); `0` skips the check, for file systems that
//!   number inodes anew at each mount.
//! - `HA_COVER_LOG`: `info` (or `1`) writes a line on stderr for each
//!   recovery event and each wait for a server (see [`crate::log`]).
//! - `HA_COVER_TEST_STOP`: for the library's own tests, see [`super::stop`].

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::paths::normalize;

/// The preload mode's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Config {
    /// Normalized absolute prefixes, without a trailing slash ("/" is empty).
    pub prefixes: Vec<Vec<u8>>,
    pub deadline: Option<Duration>,
    pub attempts: Option<u32>,
    pub verify: bool,
    /// The covered call before which the process stops itself once.
    pub test_stop: Option<Vec<u8>>,
}

static CONFIG: OnceLock<Config> = OnceLock::new();
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Whether any path is covered: the one load every path-level call makes
/// when the preload mode is off.
#[inline(always)]
pub(crate) fn active() -> bool {
    ACTIVE.load(Ordering::Relaxed)
}

/// The settings; only called once [`active`] said so.
pub(crate) fn get() -> &'static Config {
    CONFIG
        .get()
        .expect("the preload mode is configured before it is active")
}

/// Reads the environment and turns the preload mode on if it covers a path.
pub(crate) fn init() {
    let var = |name: &str| std::env::var_os(name).map(OsString::into_vec);
    let config = parse(&Env {
        paths: var("HA_COVER_PATHS"),
        deadline: var("HA_COVER_DEADLINE"),
        attempts: var("HA_COVER_ATTEMPTS"),
        verify: var("HA_COVER_VERIFY"),
        test_stop: var("HA_COVER_TEST_STOP"),
    });
    let on = !config.prefixes.is_empty();
    if CONFIG.set(config).is_ok() && on {
        ACTIVE.store(true, Ordering::Release);
    }
}

/// The raw variables.
#[derive(Default)]
pub(crate) struct Env {
    pub paths: Option<Vec<u8>>,
    pub deadline: Option<Vec<u8>>,
    pub attempts: Option<Vec<u8>>,
    pub verify: Option<Vec<u8>>,
    pub test_stop: Option<Vec<u8>>,
}

/// The settings the variables give; a value that cannot be read is reported
/// on stderr and its default used.
pub(crate) fn parse(env: &Env) -> Config {
    let mut prefixes: Vec<Vec<u8>> = Vec::new();
    for entry in env
        .paths
        .as_deref()
        .unwrap_or_default()
        .split(|&b| b == b':')
    {
        if entry.is_empty() {
            continue;
        }
        if entry[0] != b'/' {
            warn(&format!(
                "HA_COVER_PATHS: {:?} is not an absolute path: not covered",
                String::from_utf8_lossy(entry)
            ));
            continue;
        }
        let prefix = normalize(entry);
        if !prefixes.contains(&prefix) {
            prefixes.push(prefix);
        }
    }
    let deadline = match env.deadline.as_deref() {
        None => Some(ha_cover_engine::DEFAULT_DEADLINE),
        Some(text) => duration(text).unwrap_or_else(|| {
            warn(&format!(
                "HA_COVER_DEADLINE={:?}: not a duration (30s, 500ms, 2m, none): using 30s",
                String::from_utf8_lossy(text)
            ));
            Some(ha_cover_engine::DEFAULT_DEADLINE)
        }),
    };
    let attempts = match env.attempts.as_deref() {
        None | Some(b"unlimited") => None,
        Some(text) => match std::str::from_utf8(text).ok().and_then(|t| t.parse().ok()) {
            Some(n) => Some(n),
            None => {
                warn(&format!(
                    "HA_COVER_ATTEMPTS={:?}: not a count or `unlimited`: unlimited",
                    String::from_utf8_lossy(text)
                ));
                None
            }
        },
    };
    Config {
        prefixes,
        deadline,
        attempts,
        verify: !matches!(env.verify.as_deref(), Some(b"0")),
        test_stop: env.test_stop.clone(),
    }
}

/// `30s`, `500ms`, `2m`, `10` (seconds), `none`; `None` when unreadable.
fn duration(text: &[u8]) -> Option<Option<Duration>> {
    let text = std::str::from_utf8(text).ok()?.trim();
    if text == "none" {
        return Some(None);
    }
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let number: u64 = number.parse().ok()?;
    let duration = match unit {
        "" | "s" => Duration::from_secs(number),
        "ms" => Duration::from_millis(number),
        "m" => Duration::from_secs(number.checked_mul(60)?),
        _ => return None,
    };
    Some(Some(duration))
}

fn warn(message: &str) {
    super::log::line(&format!("ha-cover: {message}"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(paths: &str) -> Env {
        Env {
            paths: Some(paths.as_bytes().to_vec()),
            ..Env::default()
        }
    }

    #[test]
    fn prefixes_are_normalized_absolute_and_once_each() {
        let config = parse(&env("/mnt/a/:relative:/mnt//b/./c::/mnt/a"));
        assert_eq!(config.prefixes, [b"/mnt/a".to_vec(), b"/mnt/b/c".to_vec()]);
        assert!(parse(&Env::default()).prefixes.is_empty());
    }

    #[test]
    fn defaults_and_tunables() {
        let config = parse(&env("/mnt/a"));
        assert_eq!(config.deadline, Some(Duration::from_secs(30)));
        assert_eq!((config.attempts, config.verify), (None, true));
        let config = parse(&Env {
            deadline: Some(b"500ms".to_vec()),
            attempts: Some(b"7".to_vec()),
            verify: Some(b"0".to_vec()),
            ..env("/mnt/a")
        });
        assert_eq!(config.deadline, Some(Duration::from_millis(500)));
        assert_eq!((config.attempts, config.verify), (Some(7), false));
        assert_eq!(duration(b"2m"), Some(Some(Duration::from_secs(120))));
        assert_eq!(duration(b"none"), Some(None));
        assert_eq!(duration(b"10"), Some(Some(Duration::from_secs(10))));
        assert_eq!(duration(b"soon"), None);
        assert_eq!(
            parse(&Env {
                deadline: Some(b"soon".to_vec()),
                ..env("/mnt/a")
            })
            .deadline,
            Some(Duration::from_secs(30))
        );
    }
}
