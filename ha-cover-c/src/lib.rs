//! The C ABI of ha-cover: QNX's `<ha/cover.h>` on Linux, so that QNX client
//! programs compile unmodified against `include/ha/*.h`, link `-lha_cover`,
//! and recover when the server behind a file or socket dies and comes back.
//!
//! The recovery logic is the runtime's (`ha_cover::engine`): which errors mean
//! the server died, when to attempt, wait and give up, what becomes of the
//! failed operation. What this crate adds is QNX's orchestration around it:
//!
//! - Descriptor numbers never change. A recovery function puts the new
//!   connection under the failed number with `ha_reopen` / `ha_reconnect`,
//!   which `dup3` it over every `ha_dup` of the group too ([`repoint`]).
//! - Plain `read`, `write`, `lseek`, `pread`, `pwrite`, `readv`, `writev`,
//!   `send`, `recv`, `fsync`, `fdatasync`, and the `_chk` forms
//!   `_FORTIFY_SOURCE` makes of `read`, `pread` and `recv`, are defined here in
//!   front of glibc's ([`interpose`]). On a descriptor that is not HA-aware they cost a lookup
//!   in a lock-free table ([`table`]) and go to glibc's own definition.
//! - Several threads may use one descriptor at once; no lock is held across a
//!   system call ([`cover`]). One recovery at a time serves them all: a thread
//!   whose call started before the latest recovery sends it again without
//!   recovering ([`settle`]); the recovery itself is [`cycle`].
//! - Inside the library, everything done on an HA descriptor is a raw system
//!   call ([`raw`]): libc's wrappers would come back into this library's own
//!   definitions. So is what the runtime's watcher does on its own descriptors
//!   while a recovery waits (the mount table, an inotify instance).

mod api;
mod append_slot;
mod attach;
mod cover_loop;
mod ctrl;
mod cycle;
mod errno;
mod events;
mod fork;
mod glibc;
mod group;
mod ha_path;
mod interpose;
mod log;
mod ops;
mod preload;
mod recursion;
mod repoint;
mod settle;
mod split;
mod syscall;
mod table;
pub mod types;
