//! The preload mode's lines on stderr, written by the library's one logger
//! ([`crate::log`]): those that say a descriptor could not be recovered
//! safely (always), and those `HA_COVER_LOG` asks for.

use libc::c_int;

pub(crate) use crate::log::line;

/// `ENOTCONN` for `ENOTCONN`.
pub(crate) fn errno_name(errno: c_int) -> String {
    ha_cover_engine::errno_name(errno).map_or_else(|| format!("errno {errno}"), str::to_owned)
}

/// A line only when `HA_COVER_LOG` asks for them.
pub(crate) fn recovery(text: impl FnOnce() -> String) {
    crate::log::at(crate::log::Level::Info, text);
}
