//! The words of the macros' attributes, in one place.

use std::fmt;

use syn::{Ident, Path};

/// A word the macros recognise in an attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Symbol(&'static str);

impl Symbol {
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

// The attributes.
pub const RECOVERABLE: Symbol = Symbol("recoverable");
pub const HA: Symbol = Symbol("ha");

// Keys of `#[recoverable(...)]`.
pub const STRATEGY: Symbol = Symbol("strategy");
pub const WITH: Symbol = Symbol("with");
pub const WITH_ASYNC: Symbol = Symbol("with_async");
pub const AFTER: Symbol = Symbol("after");
pub const AFTER_ASYNC: Symbol = Symbol("after_async");
pub const DISCOVER: Symbol = Symbol("discover");
pub const DISCOVER_ASYNC: Symbol = Symbol("discover_async");
pub const CONNECTION: Symbol = Symbol("connection");
pub const CRATE: Symbol = Symbol("crate");
pub const ON_CONNECT: Symbol = Symbol("on_connect");

// Values of `strategy = ...`.
pub const REOPEN: Symbol = Symbol("reopen");
pub const REOPEN_SEEK: Symbol = Symbol("reopen_seek");
pub const RECONNECT: Symbol = Symbol("reconnect");

// Field roles of `#[ha(...)]`.
pub const OFFSET: Symbol = Symbol("offset");
pub const RECOVERIES: Symbol = Symbol("recoveries");
pub const PATH: Symbol = Symbol("path");
pub const ADDR: Symbol = Symbol("addr");

// Connection kinds of `#[ha_connection(...)]`.
pub const FILE: Symbol = Symbol("file");
pub const UNIX: Symbol = Symbol("unix");
pub const TCP: Symbol = Symbol("tcp");
pub const SOCKET: Symbol = Symbol("socket");

// Keys of `#[ha_connection(...)]` (besides the kinds and `crate`).
pub const MODE: Symbol = Symbol("mode");
pub const HANDLE: Symbol = Symbol("handle");
pub const RECOVERY: Symbol = Symbol("recovery");
pub const ATTEMPTS: Symbol = Symbol("attempts");
pub const TOTAL: Symbol = Symbol("total");
pub const BACKOFF: Symbol = Symbol("backoff");
pub const DEADLINE: Symbol = Symbol("deadline");
pub const RECOVER_ON: Symbol = Symbol("recover_on");
pub const EOF_IS_FAILURE: Symbol = Symbol("eof_is_failure");
pub const WRITE_POLICY: Symbol = Symbol("write_policy");
pub const ASYNCHRONOUS: Symbol = Symbol("asynchronous");
pub const NAME: Symbol = Symbol("name");

// Values of `mode = ...`.
pub const READ_ONLY: Symbol = Symbol("read_only");
pub const WRITE_ONLY: Symbol = Symbol("write_only");
pub const READ_WRITE: Symbol = Symbol("read_write");
pub const APPEND: Symbol = Symbol("append");

// Values of `backoff = ...`, `deadline = ...` and `recover_on = [...]`.
pub const NONE: Symbol = Symbol("none");
pub const FIXED: Symbol = Symbol("fixed");
pub const EXPONENTIAL: Symbol = Symbol("exponential");
pub const DEFAULT: Symbol = Symbol("default");

// Values of `write_policy = ...`.
pub const NEVER: Symbol = Symbol("never");
pub const ALWAYS: Symbol = Symbol("always");
pub const REPLAY: Symbol = Symbol("replay");

// Units of durations.
pub const NS: Symbol = Symbol("ns");
pub const US: Symbol = Symbol("us");
pub const MS: Symbol = Symbol("ms");
pub const S: Symbol = Symbol("s");
pub const MIN: Symbol = Symbol("min");
pub const H: Symbol = Symbol("h");

impl PartialEq<Symbol> for Ident {
    fn eq(&self, word: &Symbol) -> bool {
        self == word.0
    }
}

impl PartialEq<Symbol> for Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}
