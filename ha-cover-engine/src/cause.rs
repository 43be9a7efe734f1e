//! What revealed that a server died.

use std::io;

/// What revealed that the server died.
#[derive(Debug)]
#[non_exhaustive]
pub enum Cause {
    /// An operation failed with an error in the connection's trigger set.
    Error(io::Error),
    /// A socket read returned end-of-file and the policy counts that as a failure.
    Eof,
}

impl Cause {
    /// The OS error number, when the cause is an OS error.
    pub fn errno(&self) -> Option<i32> {
        match self {
            Cause::Error(e) => e.raw_os_error(),
            Cause::Eof => None,
        }
    }

    /// An owned copy: the same errno (or kind and message), for a recovery that
    /// runs apart from the operation that keeps the original to return.
    pub fn copy(&self) -> Cause {
        match self {
            Cause::Eof => Cause::Eof,
            Cause::Error(e) => Cause::Error(copy_error(e)),
        }
    }
}

/// A copy of an error: the same errno, or the same kind and message.
pub(crate) fn copy_error(error: &io::Error) -> io::Error {
    match error.raw_os_error() {
        Some(errno) => io::Error::from_raw_os_error(errno),
        None => io::Error::new(error.kind(), error.to_string()),
    }
}
