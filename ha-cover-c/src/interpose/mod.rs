//! The libc symbols this library defines in front of glibc's, so that plain
//! `read`, `write`... on an HA descriptor go through the cover in a program
//! that links `libha_cover` (or preloads it).
//!
//! Every one starts with the table's two loads; a descriptor that is not
//! HA-aware then goes to glibc's own definition unchanged. They are
//! `extern "C-unwind"` so that a thread cancelled inside glibc's call (a
//! cancellation point) unwinds through them as it would without the library;
//! on that path they hold nothing that would need dropping.

mod descriptors;
mod io;
