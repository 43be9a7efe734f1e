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
pub const AFTER: Symbol = Symbol("after");
pub const CONNECTION: Symbol = Symbol("connection");
pub const CRATE: Symbol = Symbol("crate");

// Values of `strategy = ...`.
pub const REOPEN: Symbol = Symbol("reopen");
pub const REOPEN_SEEK: Symbol = Symbol("reopen_seek");
pub const RECONNECT: Symbol = Symbol("reconnect");

// Field roles of `#[ha(...)]`.
pub const OFFSET: Symbol = Symbol("offset");
pub const RECOVERIES: Symbol = Symbol("recoveries");
pub const PATH: Symbol = Symbol("path");
pub const ADDR: Symbol = Symbol("addr");

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
