//! What front ends other than this crate's covers share with them: waiting for
//! a server to come back, closing dead connections off the caller's path, and
//! the flags a reopen may use. ha-cover-c, QNX's `<ha/cover.h>` on Linux, is
//! built on these and on the engine ([`ha_cover_engine`]); tests that count a
//! process's descriptors use [`wait_for_closes`].

pub use crate::background_close::{close_later, wait_for_closes};
pub use crate::builder::random_seed;
pub use crate::origin::safe_reopen_flags;
pub use crate::sys::same_open_file;
pub use crate::wait::Watcher;
