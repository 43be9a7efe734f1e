//! `#[ha_connection(...)]` parsed into typed options that remember where they
//! were written.
//!
//! Parsing records an error and goes on to the next key wherever it can, so
//! every mistake in the attribute is reported in the same build. Checks that
//! look at more than one key are in `check.rs`.

use proc_macro2::TokenStream;
use syn::meta::ParseNestedMeta;
use syn::{Ident, LitBool, LitStr};

use super::parse::{
    mode_of, parse_backoff, parse_bool, parse_count, parse_crate, parse_deadline, parse_flag,
    parse_kind, parse_name, parse_recovery, parse_triggers, parse_type, parse_word, policy_of,
};
use super::value::{
    Backoff, Count, Deadline, Kind, KindAttr, Mode, Recovery, Triggers, Word, WritePolicy,
};
pub use crate::attr::Attr;
use crate::attr::{drop_extra_commas, key_ident, skip_value, take_until_comma};
use crate::ctxt::Ctxt;
use crate::suggest;
use crate::symbol::{
    ALWAYS, APPEND, ASYNCHRONOUS, ATTEMPTS, BACKOFF, CRATE, DEADLINE, EOF_IS_FAILURE, EXPONENTIAL,
    FILE, FIXED, HANDLE, MODE, NAME, NEVER, NONE, READ_ONLY, READ_WRITE, RECONNECT, RECOVER_ON,
    RECOVERY, REOPEN, REOPEN_SEEK, REPLAY, SOCKET, Symbol, TCP, TOTAL, UNIX, WRITE_ONLY,
    WRITE_POLICY,
};

/// The words that name a connection kind.
pub const KINDS: &[Symbol] = &[FILE, UNIX, TCP, SOCKET];
/// Every key of `#[ha_connection(...)]`, kinds first.
pub const KEYS: &[Symbol] = &[
    FILE,
    UNIX,
    TCP,
    SOCKET,
    ASYNCHRONOUS,
    MODE,
    HANDLE,
    RECOVERY,
    ATTEMPTS,
    TOTAL,
    BACKOFF,
    DEADLINE,
    RECOVER_ON,
    EOF_IS_FAILURE,
    WRITE_POLICY,
    NAME,
    CRATE,
];
/// The values of `mode = ...`.
pub const MODES: &[Symbol] = &[READ_ONLY, WRITE_ONLY, READ_WRITE, APPEND];
/// The built-in values of `recovery = ...`.
pub const RECOVERIES: &[Symbol] = &[REOPEN_SEEK, REOPEN, RECONNECT];
/// The shapes of `backoff = ...`.
pub const BACKOFFS: &[Symbol] = &[NONE, FIXED, EXPONENTIAL];
/// The values of `write_policy = ...`.
pub const WRITE_POLICIES: &[Symbol] = &[NEVER, ALWAYS, REPLAY];

/// Everything `#[ha_connection(...)]` says.
pub struct Options {
    /// Every kind written, in order: more than one is an error in `check.rs`.
    pub kinds: Vec<KindAttr>,
    /// `asynchronous`: the async typed cover, over an `AsyncCover`.
    pub asynchronous: Attr<()>,
    pub mode: Attr<Word<Mode>>,
    pub handle: Attr<syn::Type>,
    pub recovery: Attr<Recovery>,
    pub attempts: Attr<Count>,
    pub total: Attr<Count>,
    pub backoff: Attr<Backoff>,
    pub deadline: Attr<Deadline>,
    pub recover_on: Attr<Triggers>,
    pub eof_is_failure: Attr<LitBool>,
    pub write_policy: Attr<Word<WritePolicy>>,
    /// `name = "..."`: the connection's name in logs, events and metrics.
    pub name: Attr<LitStr>,
    pub krate: Attr<syn::Path>,
    /// The keys that could not be read: a check that a key is absent says
    /// nothing when the key may be one of these.
    pub unread: Unread,
}

/// What the keys that could not be read may have been meant to be.
#[derive(Default)]
pub struct Unread {
    /// Keys whose value could not be read, and what misspelled keys were
    /// nearest to.
    keys: Vec<Symbol>,
    /// A key that could not even be guessed (no near spelling, or syntax).
    anything: bool,
}

impl Unread {
    /// Whether any of `keys` may have been given but could not be read.
    pub fn may_include(&self, keys: &[Symbol]) -> bool {
        self.anything || self.keys.iter().any(|key| keys.contains(key))
    }

    fn add(&mut self, key: Option<Symbol>) {
        match key {
            Some(key) => self.keys.push(key),
            None => self.anything = true,
        }
    }
}

impl Options {
    fn new() -> Self {
        Options {
            kinds: Vec::new(),
            asynchronous: Attr::none(ASYNCHRONOUS),
            mode: Attr::none(MODE),
            handle: Attr::none(HANDLE),
            recovery: Attr::none(RECOVERY),
            attempts: Attr::none(ATTEMPTS),
            total: Attr::none(TOTAL),
            backoff: Attr::none(BACKOFF),
            deadline: Attr::none(DEADLINE),
            recover_on: Attr::none(RECOVER_ON),
            eof_is_failure: Attr::none(EOF_IS_FAILURE),
            write_policy: Attr::none(WRITE_POLICY),
            name: Attr::none(NAME),
            krate: Attr::none(CRATE),
            unread: Unread::default(),
        }
    }

    /// The declared kind: the first one written.
    pub fn kind(&self) -> Option<&Kind> {
        self.kinds.first().map(|k| &k.kind)
    }

    pub fn mode(&self) -> Option<Mode> {
        self.mode.get().map(|m| m.value)
    }

    /// Parses the attribute's arguments.
    pub fn parse(cx: &Ctxt, args: TokenStream) -> Self {
        let mut options = Options::new();
        let parser = syn::meta::parser(|meta| {
            if !options.parse_key(cx, &meta) {
                let key = KEYS.iter().copied().find(|key| meta.path == *key);
                let meant = key.or_else(|| {
                    let found = meta.path.get_ident()?.to_string();
                    suggest::closest(&found, KEYS)
                });
                options.unread.add(meant);
            }
            Ok(())
        });
        let args = drop_extra_commas(cx, args);
        if let Err(error) = syn::parse::Parser::parse2(parser, args) {
            options.unread.add(None);
            cx.syn_error(error);
        }
        options
    }

    /// Parses one key and its value, returning whether it could be read. Errors
    /// are recorded and the value skipped, so the keys after a wrong one are
    /// still read.
    fn parse_key(&mut self, cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> bool {
        let Some(key) = key_ident(cx, meta) else {
            skip_value(meta);
            return false;
        };
        let read = self.parse_value(cx, meta, &key);
        // Whatever is left of the value: junk after a value that was read, or
        // the rest of one that could not be.
        let rest = take_until_comma(meta.input);
        if read.is_some() && !rest.is_empty() {
            cx.error_spanned_by(
                rest,
                format!("unexpected tokens after the value of `{key}`; separate keys with commas"),
            );
            return false;
        }
        read.is_some()
    }

    fn parse_value(&mut self, cx: &Ctxt, meta: &ParseNestedMeta<'_>, key: &Ident) -> Option<()> {
        let key = key.clone();
        if KINDS.iter().any(|kind| meta.path == *kind) {
            parse_kind(cx, meta, &key).map(|kind| self.kinds.push(kind))
        } else if meta.path == ASYNCHRONOUS {
            parse_flag(cx, meta, ASYNCHRONOUS).map(|()| self.asynchronous.set(cx, key, ()))
        } else if meta.path == MODE {
            parse_word(cx, meta, MODE, MODES, "mode = read_only")
                .map(|word| self.mode.set(cx, key, mode_of(word)))
        } else if meta.path == HANDLE {
            parse_type(cx, meta, HANDLE, "handle = Handle").map(|ty| self.handle.set(cx, key, ty))
        } else if meta.path == RECOVERY {
            parse_recovery(cx, meta).map(|value| self.recovery.set(cx, key, value))
        } else if meta.path == ATTEMPTS {
            parse_count(cx, meta, ATTEMPTS).map(|value| self.attempts.set(cx, key, value))
        } else if meta.path == TOTAL {
            parse_count(cx, meta, TOTAL).map(|value| self.total.set(cx, key, value))
        } else if meta.path == BACKOFF {
            parse_backoff(cx, meta).map(|value| self.backoff.set(cx, key, value))
        } else if meta.path == DEADLINE {
            parse_deadline(cx, meta).map(|value| self.deadline.set(cx, key, value))
        } else if meta.path == RECOVER_ON {
            parse_triggers(cx, meta).map(|value| self.recover_on.set(cx, key, value))
        } else if meta.path == EOF_IS_FAILURE {
            parse_bool(cx, meta, EOF_IS_FAILURE)
                .map(|value| self.eof_is_failure.set(cx, key, value))
        } else if meta.path == WRITE_POLICY {
            parse_word(
                cx,
                meta,
                WRITE_POLICY,
                WRITE_POLICIES,
                "write_policy = never",
            )
            .map(|word| self.write_policy.set(cx, key, policy_of(word)))
        } else if meta.path == NAME {
            parse_name(cx, meta).map(|name| self.name.set(cx, key, name))
        } else if meta.path == CRATE {
            parse_crate(cx, meta).map(|path| self.krate.set(cx, key, path))
        } else if key == "async" {
            // Too far from `asynchronous` for a typo, but what Rust calls it.
            cx.error_spanned_by(
                &meta.path,
                "an async cover is declared with the word `asynchronous`, as in `#[ha_connection(tcp, asynchronous, mode = read_write)]`",
            );
            None
        } else {
            let message =
                suggest::unknown("key", &key.to_string(), "`#[ha_connection(...)]`", KEYS);
            cx.error_spanned_by(&meta.path, message);
            None
        }
    }
}
