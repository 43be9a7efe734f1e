//! What revealed that a server died.

use std::fmt;
use std::io;

use crate::errno::errno_name;

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

/// The short name of what revealed a failure: `ENOTCONN`, `EOF`, or the kind
/// of an error that carries no number. The `cause` field of logs.
pub(crate) struct CauseName<'a>(pub &'a Cause);

impl fmt::Display for CauseName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Cause::Eof => f.write_str("EOF"),
            Cause::Error(e) => match e.raw_os_error() {
                Some(errno) => match errno_name(errno) {
                    Some(name) => f.write_str(name),
                    None => write!(f, "errno {errno}"),
                },
                None => write!(f, "{:?}", e.kind()),
            },
        }
    }
}

/// `ENOTCONN (Transport endpoint is not connected)`, or `end of file`.
impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cause::Eof => f.write_str("end of file"),
            Cause::Error(e) => match e.raw_os_error() {
                Some(errno) => write!(f, "{} ({})", CauseName(self), os_message(errno)),
                None => write!(f, "{e}"),
            },
        }
    }
}

/// The system's text for `errno`, without std's `(os error N)`.
pub(crate) fn os_message(errno: i32) -> String {
    let text = io::Error::from_raw_os_error(errno).to_string();
    match text.rfind(" (os error ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// A copy of an error: the same errno, or the same kind and message.
pub(crate) fn copy_error(error: &io::Error) -> io::Error {
    match error.raw_os_error() {
        Some(errno) => io::Error::from_raw_os_error(errno),
        None => io::Error::new(error.kind(), error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displayed_by_name_and_text() {
        let cause = Cause::Error(io::Error::from_raw_os_error(libc::ENOTCONN));
        assert_eq!(
            cause.to_string(),
            "ENOTCONN (Transport endpoint is not connected)"
        );
        assert_eq!(CauseName(&cause).to_string(), "ENOTCONN");
        assert_eq!(Cause::Eof.to_string(), "end of file");
        assert_eq!(CauseName(&Cause::Eof).to_string(), "EOF");
        let other = Cause::Error(io::Error::new(io::ErrorKind::BrokenPipe, "gone"));
        assert_eq!(other.to_string(), "gone");
        assert_eq!(CauseName(&other).to_string(), "BrokenPipe");
    }

    /// A cause is one word, as an `io::Error` is: every member and every
    /// pending async operation carries one, and a third variant would take
    /// the error's only spare value and double it.
    #[test]
    fn one_word() {
        assert_eq!(size_of::<Cause>(), size_of::<io::Error>());
    }
}
