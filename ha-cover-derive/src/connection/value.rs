//! The values of `#[ha_connection(...)]`'s keys, as the parser leaves them:
//! typed, and keeping the tokens they were written with for spans and
//! messages.

use proc_macro2::Span;
use syn::{Ident, LitInt};

use super::duration::Duration;
use crate::symbol::{
    APPEND, FILE, READ_ONLY, READ_WRITE, RECONNECT, REOPEN, REOPEN_SEEK, SOCKET, Symbol, TCP, UNIX,
    WRITE_ONLY,
};

/// What the connection is.
#[derive(Clone)]
pub enum Kind {
    File,
    Unix,
    Tcp,
    /// `file = T`.
    CustomFile(syn::Type),
    /// `socket = T`.
    CustomSocket(syn::Type),
}

impl Kind {
    pub fn is_file(&self) -> bool {
        matches!(self, Kind::File | Kind::CustomFile(_))
    }

    /// The word the kind is declared with.
    pub fn word(&self) -> Symbol {
        match self {
            Kind::File | Kind::CustomFile(_) => FILE,
            Kind::Unix => UNIX,
            Kind::Tcp => TCP,
            Kind::CustomSocket(_) => SOCKET,
        }
    }
}

/// A kind as written: `word` is `file`, `unix`, `tcp` or `socket`.
pub struct KindAttr {
    pub kind: Kind,
    pub word: Ident,
}

/// The access mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    ReadOnly,
    WriteOnly,
    ReadWrite,
    Append,
}

impl Mode {
    pub fn reads(self) -> bool {
        matches!(self, Mode::ReadOnly | Mode::ReadWrite)
    }

    pub fn writes(self) -> bool {
        !matches!(self, Mode::ReadOnly)
    }

    pub fn symbol(self) -> Symbol {
        match self {
            Mode::ReadOnly => READ_ONLY,
            Mode::WriteOnly => WRITE_ONLY,
            Mode::ReadWrite => READ_WRITE,
            Mode::Append => APPEND,
        }
    }
}

/// A word value (a mode, a policy...) and where it was written.
pub struct Word<T> {
    pub value: T,
    pub word: Ident,
}

/// A built-in recovery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    Reopen,
    ReopenSeek,
    Reconnect,
}

impl Builtin {
    pub fn symbol(self) -> Symbol {
        match self {
            Builtin::Reopen => REOPEN,
            Builtin::ReopenSeek => REOPEN_SEEK,
            Builtin::Reconnect => RECONNECT,
        }
    }
}

/// `recovery = ...`.
pub enum Recovery {
    Builtin(Word<Builtin>),
    Function(syn::Path),
}

/// `backoff = ...`.
pub enum Backoff {
    None(Ident),
    Fixed(Duration),
    Exponential { initial: Duration, cap: Duration },
}

/// `deadline = ...`.
pub enum Deadline {
    None(Ident),
    After(Duration),
}

/// `recover_on = [...]`.
pub struct Triggers {
    /// `default` in the list: the kind's default set, added to.
    pub default: Option<Ident>,
    pub errnos: Vec<Ident>,
    /// The brackets, for errors about the whole list.
    pub list: Span,
}

/// `write_policy = ...`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WritePolicy {
    Never,
    Always,
    Replay,
}

/// A positive count and its literal.
pub struct Count {
    pub value: u32,
    pub lit: LitInt,
}
