//! `#[ha_connection(...)]` parsed into typed options that remember where they
//! were written.
//!
//! Parsing records an error and goes on to the next key wherever it can, so
//! every mistake in the attribute is reported in the same build. Checks that
//! look at more than one key are in `check.rs`.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::{Ident, LitBool, LitInt, LitStr, Token};

use super::duration::{self, Duration};
use super::errno;
use crate::ctxt::Ctxt;
use crate::suggest;
use crate::symbol::{
    ALWAYS, APPEND, ATTEMPTS, BACKOFF, CRATE, DEADLINE, DEFAULT, EOF_IS_FAILURE, EXPONENTIAL, FILE,
    FIXED, HANDLE, MODE, NEVER, NONE, READ_ONLY, READ_WRITE, RECONNECT, RECOVER_ON, RECOVERY,
    REOPEN, REOPEN_SEEK, REPLAY, SOCKET, Symbol, TCP, TOTAL, UNIX, WRITE_ONLY, WRITE_POLICY,
};

/// The words that name a connection kind.
pub const KINDS: &[Symbol] = &[FILE, UNIX, TCP, SOCKET];
/// Every key of `#[ha_connection(...)]`, kinds first.
pub const KEYS: &[Symbol] = &[
    FILE,
    UNIX,
    TCP,
    SOCKET,
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

/// One key's value and the key as written, for spans. A second value for the
/// same key is an error at the second key.
pub struct Attr<T> {
    name: Symbol,
    value: Option<(Ident, T)>,
}

impl<T> Attr<T> {
    fn none(name: Symbol) -> Self {
        Self { name, value: None }
    }

    fn set(&mut self, cx: &Ctxt, key: Ident, value: T) {
        if self.value.is_some() {
            cx.error_spanned_by(
                key,
                format!("`{}` is given twice; keep one of them", self.name),
            );
        } else {
            self.value = Some((key, value));
        }
    }

    pub fn get(&self) -> Option<&T> {
        self.value.as_ref().map(|(_, value)| value)
    }

    /// The key, for errors about this option.
    pub fn key(&self) -> Option<&Ident> {
        self.value.as_ref().map(|(key, _)| key)
    }
}

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

/// Everything `#[ha_connection(...)]` says.
pub struct Options {
    /// Every kind written, in order: more than one is an error in `check.rs`.
    pub kinds: Vec<KindAttr>,
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
    pub krate: Attr<syn::Path>,
    /// Some key could not be read: checks that rely on a key being absent are
    /// skipped, since the key may be the one that was misspelled.
    pub incomplete: bool,
}

impl Options {
    fn new() -> Self {
        Options {
            kinds: Vec::new(),
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
            krate: Attr::none(CRATE),
            incomplete: false,
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
            options.incomplete |= !options.parse_key(cx, &meta);
            Ok(())
        });
        if let Err(error) = syn::parse::Parser::parse2(parser, args) {
            options.incomplete = true;
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
        } else if meta.path == CRATE {
            parse_crate(cx, meta).map(|path| self.krate.set(cx, key, path))
        } else {
            let message =
                suggest::unknown("key", &key.to_string(), "`#[ha_connection(...)]`", KEYS);
            cx.error_spanned_by(&meta.path, message);
            None
        }
    }
}

fn mode_of(word: Word<Symbol>) -> Word<Mode> {
    let value = match word.value {
        v if v == READ_ONLY => Mode::ReadOnly,
        v if v == WRITE_ONLY => Mode::WriteOnly,
        v if v == READ_WRITE => Mode::ReadWrite,
        _ => Mode::Append,
    };
    Word {
        value,
        word: word.word,
    }
}

fn policy_of(word: Word<Symbol>) -> Word<WritePolicy> {
    let value = match word.value {
        v if v == NEVER => WritePolicy::Never,
        v if v == ALWAYS => WritePolicy::Always,
        _ => WritePolicy::Replay,
    };
    Word {
        value,
        word: word.word,
    }
}

/// `file`, `unix`, `tcp`; `file = T`, `socket = T`.
fn parse_kind(cx: &Ctxt, meta: &ParseNestedMeta<'_>, word: &Ident) -> Option<KindAttr> {
    let has_value = meta.input.peek(Token![=]);
    let kind = if meta.path == FILE {
        if has_value {
            Kind::CustomFile(parse_type(cx, meta, FILE, "file = my::FileConnection")?)
        } else {
            Kind::File
        }
    } else if meta.path == SOCKET {
        if !has_value {
            cx.error_spanned_by(
                word,
                "`socket` needs the connection type: write `socket = my::Socket` for a socket connection of your own, or `unix` or `tcp` for std's",
            );
            return None;
        }
        Kind::CustomSocket(parse_type(cx, meta, SOCKET, "socket = my::Socket")?)
    } else {
        if has_value {
            cx.error_spanned_by(
                word,
                format!(
                    "`{word}` is std's socket type and takes no value; a socket connection of your own is `socket = my::Socket`"
                ),
            );
            return None;
        }
        if meta.path == UNIX {
            Kind::Unix
        } else {
            Kind::Tcp
        }
    };
    Some(KindAttr {
        kind,
        word: word.clone(),
    })
}

/// A word out of `valid`, with "did you mean" for a misspelled one.
fn parse_word(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    key: Symbol,
    valid: &[Symbol],
    form: &str,
) -> Option<Word<Symbol>> {
    let input = expect_value(cx, meta, key, form)?;
    if input.peek(LitStr) {
        let lit: LitStr = input.parse().ok()?;
        cx.error_spanned_by(
            &lit,
            format!("write the value without quotes: `{key} = {}`", lit.value()),
        );
        return None;
    }
    let Ok(word) = input.parse::<Ident>() else {
        cx.syn_error(input.error(format!(
            "expected {} after `{key} =`",
            suggest::one_of(valid)
        )));
        return None;
    };
    let Some(&value) = valid.iter().find(|v| word == **v) else {
        let place = format!("`{key} = ...`");
        cx.error_spanned_by(
            &word,
            suggest::unknown(key.as_str(), &word.to_string(), &place, valid),
        );
        return None;
    };
    Some(Word { value, word })
}

fn parse_type(cx: &Ctxt, meta: &ParseNestedMeta<'_>, key: Symbol, form: &str) -> Option<syn::Type> {
    let input = expect_value(cx, meta, key, form)?;
    if input.peek(LitStr) {
        let lit: LitStr = input.parse().ok()?;
        cx.error_spanned_by(
            &lit,
            format!("write the type without quotes: `{key} = {}`", lit.value()),
        );
        return None;
    }
    match input.parse() {
        Ok(ty) => Some(ty),
        Err(error) => {
            cx.syn_error(syn::Error::new(
                error.span(),
                format!("expected a type, as in `{form}`"),
            ));
            None
        }
    }
}

/// `recovery = reopen_seek | reopen | reconnect | path::to::function`.
fn parse_recovery(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> Option<Recovery> {
    let form = "recovery = path::to::recover_fn";
    let input = expect_value(cx, meta, RECOVERY, form)?;
    if input.peek(LitStr) {
        let lit: LitStr = input.parse().ok()?;
        cx.error_spanned_by(
            &lit,
            format!(
                "write the recovery without quotes: `recovery = {}`",
                lit.value()
            ),
        );
        return None;
    }
    let path = match input.call(syn::Path::parse_mod_style) {
        Ok(path) => path,
        Err(error) => {
            cx.syn_error(syn::Error::new(
                error.span(),
                format!(
                    "expected {} or the path of a recovery function, as in `{form}`",
                    suggest::one_of(RECOVERIES)
                ),
            ));
            return None;
        }
    };
    let builtin = [Builtin::ReopenSeek, Builtin::Reopen, Builtin::Reconnect]
        .into_iter()
        .find(|b| path == b.symbol());
    Some(match (builtin, path.get_ident()) {
        (Some(value), Some(word)) => Recovery::Builtin(Word {
            value,
            word: word.clone(),
        }),
        _ => Recovery::Function(path),
    })
}

/// A count of at least one.
fn parse_count(cx: &Ctxt, meta: &ParseNestedMeta<'_>, key: Symbol) -> Option<Count> {
    let input = expect_value(cx, meta, key, &format!("{key} = 5"))?;
    let Ok(lit) = input.parse::<LitInt>() else {
        cx.syn_error(input.error(format!(
            "expected a whole number after `{key} =`, as in `{key} = 5`; leave `{key}` out for no limit"
        )));
        return None;
    };
    if !lit.suffix().is_empty() {
        cx.error_spanned_by(
            &lit,
            format!("`{key}` is a count: write it without a suffix, as in `{key} = 5`"),
        );
        return None;
    }
    if lit.base10_digits().starts_with('-') {
        cx.error_spanned_by(
            &lit,
            format!("`{key}` is a count of at least 1; leave `{key}` out for no limit"),
        );
        return None;
    }
    match lit.base10_parse::<u32>() {
        Ok(value) => Some(Count { value, lit }),
        Err(_) => {
            cx.error_spanned_by(
                &lit,
                format!(
                    "`{key}` is at most {}; leave `{key}` out for no limit",
                    u32::MAX
                ),
            );
            None
        }
    }
}

/// `none`, `fixed(d)`, `exponential(initial, cap)`.
fn parse_backoff(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> Option<Backoff> {
    let form = "backoff = exponential(10ms, 2s)";
    let input = expect_value(cx, meta, BACKOFF, form)?;
    let Ok(word) = input.parse::<Ident>() else {
        cx.syn_error(
            input.error(
                "expected `none`, `fixed(10ms)` or `exponential(10ms, 2s)` after `backoff =`",
            ),
        );
        return None;
    };
    let Some(&shape) = BACKOFFS.iter().find(|b| word == **b) else {
        let mut message =
            suggest::unknown("backoff", &word.to_string(), "`backoff = ...`", BACKOFFS);
        message.push_str(", as in `backoff = fixed(100ms)` or `backoff = exponential(10ms, 2s)`");
        cx.error_spanned_by(&word, message);
        return None;
    };
    if shape == NONE {
        if input.peek(syn::token::Paren) {
            cx.error_spanned_by(&word, "`none` takes no durations: write `backoff = none`");
            return None;
        }
        return Some(Backoff::None(word));
    }
    let (expected, example) = if shape == FIXED {
        (1, "fixed(100ms)")
    } else {
        (2, "exponential(10ms, 2s)")
    };
    if !input.peek(syn::token::Paren) {
        cx.error_spanned_by(
            &word,
            format!("`{shape}` needs its durations in parentheses: `backoff = {example}`"),
        );
        return None;
    }
    let (parens, content) = parenthesized(input).ok()?;
    let args = duration::parse_list(cx, &content)?;
    if args.len() != expected {
        cx.syn_error(syn::Error::new(
            parens.span.join(),
            format!(
                "`{shape}` takes {}, as in `backoff = {example}`",
                if expected == 1 {
                    "one duration"
                } else {
                    "two durations, the first wait and the longest"
                }
            ),
        ));
        return None;
    }
    let mut args = args.into_iter();
    let first = args.next().expect("counted");
    Some(match args.next() {
        None => Backoff::Fixed(first),
        Some(cap) => Backoff::Exponential {
            initial: first,
            cap,
        },
    })
}

/// A duration, or `none`.
fn parse_deadline(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> Option<Deadline> {
    let input = expect_value(cx, meta, DEADLINE, "deadline = 30s")?;
    if input.peek(Ident) {
        let word: Ident = input.parse().ok()?;
        if word == NONE {
            return Some(Deadline::None(word));
        }
        cx.error_spanned_by(
            &word,
            format!("expected a duration, as in `deadline = 30s`, or `none`; found `{word}`"),
        );
        return None;
    }
    duration::parse(cx, input).map(Deadline::After)
}

/// `[default, ESTALE, ENOTCONN, ...]`.
fn parse_triggers(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> Option<Triggers> {
    let form = "recover_on = [ESTALE, ENOTCONN]";
    let input = expect_value(cx, meta, RECOVER_ON, form)?;
    if !input.peek(syn::token::Bracket) {
        cx.syn_error(input.error(format!(
            "expected a list of errno names in brackets, as in `{form}`"
        )));
        return None;
    }
    let (brackets, content) = bracketed(input).ok()?;
    let mut triggers = Triggers {
        default: None,
        errnos: Vec::new(),
        list: brackets.span.join(),
    };
    let mut complete = true;
    while !content.is_empty() {
        let entry: TokenStream = take_until_comma(&content);
        match syn::parse2::<Ident>(entry.clone()) {
            Ok(word) if word == DEFAULT => {
                if triggers.default.is_some() {
                    cx.error_spanned_by(&word, "`default` is listed twice; keep one");
                }
                triggers.default = Some(word);
            }
            Ok(name) => match errno::check(&name) {
                Ok(()) => {
                    if let Some(first) = triggers.errnos.iter().find(|e| **e == name) {
                        cx.error_spanned_by(&name, format!("`{first}` is listed twice; keep one"));
                    } else {
                        triggers.errnos.push(name);
                    }
                }
                Err(message) => {
                    complete = false;
                    cx.error_spanned_by(&name, message);
                }
            },
            Err(_) => {
                complete = false;
                cx.error_spanned_by(
                    &entry,
                    "expected an errno name, as in `ESTALE`, or `default` for the kind's default set",
                );
            }
        }
        if content.peek(Token![,]) {
            let _ = content.parse::<Token![,]>();
        }
    }
    complete.then_some(triggers)
}

fn parse_bool(cx: &Ctxt, meta: &ParseNestedMeta<'_>, key: Symbol) -> Option<LitBool> {
    let input = expect_value(cx, meta, key, &format!("{key} = false"))?;
    match input.parse::<LitBool>() {
        Ok(lit) => Some(lit),
        Err(_) => {
            cx.syn_error(input.error(format!("expected `true` or `false` after `{key} =`")));
            None
        }
    }
}

fn parse_crate(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> Option<syn::Path> {
    let form = "crate = path::to::ha_cover";
    let input = expect_value(cx, meta, CRATE, form)?;
    match input.call(syn::Path::parse_mod_style) {
        Ok(path) => Some(path),
        Err(error) => {
            cx.syn_error(syn::Error::new(
                error.span(),
                format!("expected a path, as in `{form}`"),
            ));
            None
        }
    }
}

fn parenthesized<'a>(
    input: ParseStream<'a>,
) -> syn::Result<(syn::token::Paren, syn::parse::ParseBuffer<'a>)> {
    let content;
    let parens = syn::parenthesized!(content in input);
    Ok((parens, content))
}

fn bracketed<'a>(
    input: ParseStream<'a>,
) -> syn::Result<(syn::token::Bracket, syn::parse::ParseBuffer<'a>)> {
    let content;
    let brackets = syn::bracketed!(content in input);
    Ok((brackets, content))
}

/// The key of a `key = value` as one word (`crate` included, which is a
/// keyword); `a::b = ...` is an error.
fn key_ident(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> Option<Ident> {
    let path = &meta.path;
    if path.leading_colon.is_none() && path.segments.len() == 1 {
        return Some(path.segments[0].ident.clone());
    }
    cx.error_spanned_by(path, "expected a single word here");
    None
}

/// The stream after `key =`; a key without `=` is an error showing the form.
fn expect_value<'a>(
    cx: &Ctxt,
    meta: &'a ParseNestedMeta<'_>,
    key: Symbol,
    form: &str,
) -> Option<ParseStream<'a>> {
    if meta.input.peek(Token![=]) {
        return meta.value().ok();
    }
    cx.error_spanned_by(&meta.path, format!("`{key}` needs a value: write `{form}`"));
    None
}

/// Consumes whatever follows a key up to the next comma.
fn skip_value(meta: &ParseNestedMeta<'_>) {
    let _ = take_until_comma(meta.input);
}
/// The tokens up to the next comma at this level, consumed.
pub(super) fn take_until_comma(input: ParseStream<'_>) -> TokenStream {
    input
        .step(|cursor| {
            let mut rest = *cursor;
            let mut taken = TokenStream::new();
            while let Some((tt, next)) = rest.token_tree() {
                if matches!(&tt, proc_macro2::TokenTree::Punct(p) if p.as_char() == ',') {
                    break;
                }
                tt.to_tokens(&mut taken);
                rest = next;
            }
            Ok((taken, rest))
        })
        .unwrap_or_default()
}
