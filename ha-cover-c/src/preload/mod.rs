//! The preload mode: unmodified programs survive their file server's restart.
//!
//! ```sh
//! LD_PRELOAD=target/release/libha_cover.so HA_COVER_PATHS=/mnt/a:/mnt/b program
//! ```
//!
//! The same library as the C ABI: its `read`, `write`... already stand in front
//! of glibc's. With `HA_COVER_PATHS` set, a file opened under one of those
//! prefixes is made HA-aware at open time with a built-in recovery (reopen the
//! path with safe flags, check it is the same file, seek back to where the dead
//! descriptor was, take back its advisory locks), and the calls programs make
//! around the data path are covered too: descriptor calls ([`fd_calls`]),
//! directory streams ([`dir`]), stdio ([`stdio`]), and path-level calls that
//! wait for a server that is down ([`path_calls`], [`cwd`], [`wait`]) and
//! never land in the directory underneath a detached mount ([`root`]). Descriptors
//! inherited open on covered files are adopted at start ([`adopt`]).
//!
//! Without `HA_COVER_PATHS` every call here is glibc's after one load; the
//! settings are in [`config`].

mod adopt;
mod config;
mod cwd;
mod device;
mod dir;
mod fd_calls;
mod locks;
mod log;
pub(crate) mod next;
mod open;
mod path_calls;
mod paths;
mod recovery;
mod registry;
mod root;
mod stdio;
mod stop;
mod wait;

pub(crate) use fd_calls::dup_with;

/// `fd` is being closed or replaced: if the preload mode covers it, the
/// kernel releases the process's POSIX locks on its file.
pub(crate) fn closing(fd: libc::c_int) {
    if let Some(entry) = registry::entry_of(fd) {
        locks::process_released(&entry.path);
    }
}

/// Reads the settings and, when a path is covered, learns the current
/// directory and adopts inherited descriptors, before the program's code
/// runs (and again in a program `exec`ed with the same environment).
extern "C" fn init() {
    config::init();
    if config::active() {
        paths::directory_changed(None);
        adopt::inherited();
        stdio::standard_streams();
    }
}

#[used]
#[unsafe(link_section = ".init_array")]
static INIT: extern "C" fn() = init;
