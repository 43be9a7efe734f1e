//! The access modes a declaration can name, as types: the words of
//! `#[ha_connection(..., mode = read_only | write_only | read_write | append)]`.
//!
//! Lowercase, like the [kinds](super::kind), so errors quote the declaration.
#![allow(non_camel_case_types)]

use std::fs::OpenOptions;

/// An access mode of a declaration. Sealed: the modes are the ones below.
pub trait AccessMode: sealed::Sealed + 'static {
    /// The word the declaration uses.
    const WORD: &'static str;

    /// How a file of this mode is opened: `create` makes a missing file (and
    /// empties an existing one, except in `append` mode).
    fn open_options(create: bool) -> OpenOptions;

    /// Whether a descriptor with these `fcntl(F_GETFL)` flags allows what the mode
    /// promises.
    fn admits(flags: libc::c_int) -> bool;
}

/// `mode = read_only`: reads; no writes.
#[derive(Debug)]
pub enum read_only {}

/// `mode = write_only`: writes; no reads.
#[derive(Debug)]
pub enum write_only {}

/// `mode = read_write`: both.
#[derive(Debug)]
pub enum read_write {}

/// `mode = append` (files): writes that go to the end of the file, wherever the
/// position is; no reads, no seeks, no positioned writes.
#[derive(Debug)]
pub enum append {}

fn access(flags: libc::c_int) -> libc::c_int {
    flags & libc::O_ACCMODE
}

impl AccessMode for read_only {
    const WORD: &'static str = "read_only";

    fn open_options(_create: bool) -> OpenOptions {
        let mut options = OpenOptions::new();
        options.read(true);
        options
    }

    fn admits(flags: libc::c_int) -> bool {
        access(flags) != libc::O_WRONLY
    }
}

impl AccessMode for write_only {
    const WORD: &'static str = "write_only";

    fn open_options(create: bool) -> OpenOptions {
        let mut options = OpenOptions::new();
        options.write(true).create(create).truncate(create);
        options
    }

    fn admits(flags: libc::c_int) -> bool {
        access(flags) != libc::O_RDONLY && flags & libc::O_APPEND == 0
    }
}

impl AccessMode for read_write {
    const WORD: &'static str = "read_write";

    fn open_options(create: bool) -> OpenOptions {
        let mut options = OpenOptions::new();
        options
            .read(true)
            .write(true)
            .create(create)
            .truncate(create);
        options
    }

    fn admits(flags: libc::c_int) -> bool {
        access(flags) == libc::O_RDWR && flags & libc::O_APPEND == 0
    }
}

impl AccessMode for append {
    const WORD: &'static str = "append";

    fn open_options(create: bool) -> OpenOptions {
        // Never truncated, even when created: appending to what is there is the
        // point of the mode.
        let mut options = OpenOptions::new();
        options.append(true).create(create);
        options
    }

    fn admits(flags: libc::c_int) -> bool {
        access(flags) != libc::O_RDONLY && flags & libc::O_APPEND != 0
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::read_only {}
    impl Sealed for super::write_only {}
    impl Sealed for super::read_write {}
    impl Sealed for super::append {}
}
