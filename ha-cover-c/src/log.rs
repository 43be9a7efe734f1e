//! Lines on stderr for programs with no logger of their own: with
//! `HA_COVER_LOG=info` (or `1`), one line per recovery event of every
//! HA-aware descriptor (the connection lost, "still recovering" at a bounded
//! rate, recovered with its downtime or given up with its reason), and each
//! wait of the preload mode for a server; `debug` adds nothing yet, `trace`
//! adds each failed attempt. The lines are the events' own text
//! (`ha-cover: /mnt/fuse/data (fd 3): recovered after 2.31s (4 attempts)`), as
//! a Rust program's `on_event` callback prints them. A program with a logger
//! of its own (syslog, or the `tracing` of a Rust program that calls C code)
//! registers `ha_cover_on_event` and logs the events itself: a subscriber
//! cannot reach inside this library, which carries its own copy of `tracing`
//! and every other Rust crate.
//!
//! `HA_COVER_PROGRESS=1s,5s` (the default) sets when a recovery that goes on
//! says so: after the first duration, then every second one.
//!
//! Lines that say a descriptor could not be recovered safely are written
//! whatever the setting.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use ha_cover_engine::{EventKind, EventSink, Progress};

/// How much `HA_COVER_LOG` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    Off,
    Info,
    Debug,
    Trace,
}

/// The settings, read from the environment once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Settings {
    pub level: Level,
    pub progress: Progress,
}

/// The settings of this process.
pub(crate) fn settings() -> &'static Settings {
    static SETTINGS: OnceLock<Settings> = OnceLock::new();
    SETTINGS.get_or_init(|| {
        let var = |name| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned());
        parse(
            var("HA_COVER_LOG").as_deref(),
            var("HA_COVER_PROGRESS").as_deref(),
        )
    })
}

/// The settings `HA_COVER_LOG` and `HA_COVER_PROGRESS` give; a value that
/// cannot be read is reported on stderr and its default used.
pub(crate) fn parse(log: Option<&str>, progress: Option<&str>) -> Settings {
    let level = match log.map(str::trim) {
        None | Some("" | "0" | "off") => Level::Off,
        Some("1" | "info") => Level::Info,
        Some("debug") => Level::Debug,
        Some("trace") => Level::Trace,
        Some(other) => {
            line(&format!(
                "ha-cover: HA_COVER_LOG={other:?}: not one of info, debug, trace, off: using info"
            ));
            Level::Info
        }
    };
    let progress = match progress {
        None => Progress::default(),
        Some(text) => parse_progress(text).unwrap_or_else(|| {
            line(&format!(
                "ha-cover: HA_COVER_PROGRESS={text:?}: not two durations (1s,5s), nor `off`: using 1s,5s"
            ));
            Progress::default()
        }),
    };
    Settings { level, progress }
}

fn parse_progress(text: &str) -> Option<Progress> {
    if text.trim() == "off" {
        return Some(Progress::off());
    }
    let (first, every) = text.split_once(',')?;
    Some(Progress::new(duration(first)?, duration(every)?))
}

/// `5s`, `500ms`, `2m`, or a number of seconds.
pub(crate) fn duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let number: u64 = number.parse().ok()?;
    match unit {
        "" | "s" => Some(Duration::from_secs(number)),
        "ms" => Some(Duration::from_millis(number)),
        "m" => Some(Duration::from_secs(number.checked_mul(60)?)),
        _ => None,
    }
}

/// Writes `text` and a newline to stderr in one system call, so that lines of
/// several threads or processes do not mix.
pub(crate) fn line(text: &str) {
    let mut bytes = Vec::with_capacity(text.len() + 1);
    bytes.extend_from_slice(text.as_bytes());
    bytes.push(b'\n');
    let _ = crate::syscall::write(2, bytes.as_ptr().cast(), bytes.len());
}

/// A line at `level`, when `HA_COVER_LOG` asks for it.
pub(crate) fn at(level: Level, text: impl FnOnce() -> String) {
    if settings().level >= level {
        line(&text());
    }
}

/// The sink that writes a group's events, when `HA_COVER_LOG` asks for
/// them; the sink `ha_cover_on_event` installs calls it too.
pub(crate) fn sink() -> Option<EventSink> {
    if settings().level == Level::Off {
        return None;
    }
    Some(Arc::new(|event| {
        let level = match event.kind {
            EventKind::AttemptFailed { .. } => Level::Trace,
            _ => Level::Info,
        };
        at(level, || format!("ha-cover: {event}"));
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_progress_are_read_with_their_defaults() {
        let read = |log, progress| parse(log, progress);
        assert_eq!(read(None, None).level, Level::Off);
        assert_eq!(read(Some("1"), None).level, Level::Info);
        assert_eq!(read(Some("info"), None).level, Level::Info);
        assert_eq!(read(Some("trace"), None).level, Level::Trace);
        assert_eq!(read(None, None).progress, Progress::default());
        assert_eq!(
            read(None, Some("100ms,500ms")).progress,
            Progress::new(Duration::from_millis(100), Duration::from_millis(500))
        );
        assert_eq!(read(None, Some("off")).progress, Progress::off());
        assert_eq!(read(None, Some("soon")).progress, Progress::default());
    }
}
