//! Parsers of one key's value each. They record their errors in the context
//! and return `None`, so the caller skips to the next key and goes on.

use proc_macro2::TokenStream;
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::{Ident, LitBool, LitInt, LitStr, Token};

use super::attr::{BACKOFFS, RECOVERIES};
use super::duration;
use super::errno;
use super::value::{
    Backoff, Builtin, Count, Deadline, Kind, KindAttr, Mode, Recovery, Triggers, Word, WritePolicy,
};
use crate::attr::take_until_comma;
use crate::ctxt::Ctxt;
use crate::suggest;
use crate::symbol::{
    ALWAYS, BACKOFF, CRATE, DEADLINE, DEFAULT, FILE, FIXED, MODE, NAME, NEVER, NONE, READ_ONLY,
    READ_WRITE, RECOVER_ON, RECOVERY, SOCKET, Symbol, UNIX, WRITE_ONLY,
};

/// The mode a word of `MODES` names.
pub fn mode_of(word: Word<Symbol>) -> Word<Mode> {
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

/// The policy a word of `WRITE_POLICIES` names.
pub fn policy_of(word: Word<Symbol>) -> Word<WritePolicy> {
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
pub fn parse_kind(cx: &Ctxt, meta: &ParseNestedMeta<'_>, word: &Ident) -> Option<KindAttr> {
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
pub fn parse_word(
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
        let found = word.to_string();
        let message = match mode_shorthand(key, &found) {
            Some(near) => format!(
                "unknown {key} `{found}` in {place}; did you mean `{near}`? expected {}",
                suggest::one_of(valid)
            ),
            None => suggest::unknown(key.as_str(), &found, &place, valid),
        };
        cx.error_spanned_by(&word, message);
        return None;
    };
    Some(Word { value, word })
}

/// The mode meant by a shorthand of `open(2)` or `fopen(3)` flags, too far from
/// the word for a typo (`read` is five edits from `read_only`).
fn mode_shorthand(key: Symbol, found: &str) -> Option<Symbol> {
    if key != MODE {
        return None;
    }
    match found {
        "read" | "r" | "ro" | "rdonly" | "RDONLY" => Some(READ_ONLY),
        "write" | "w" | "wo" | "wronly" | "WRONLY" => Some(WRITE_ONLY),
        "rw" | "RDWR" | "rdwr" => Some(READ_WRITE),
        _ => None,
    }
}

pub fn parse_type(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    key: Symbol,
    form: &str,
) -> Option<syn::Type> {
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
pub fn parse_recovery(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> Option<Recovery> {
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
    if let Some(closure) = crate::attr::closure(input) {
        cx.error_spanned_by(
            closure,
            "a recovery is named by its path, and a closure has none: write it as a function, `fn recover(failure: &Failure<'_, C>, handle: &mut Handle) -> Result<C, E>`, and give `recovery = recover`",
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
pub fn parse_count(cx: &Ctxt, meta: &ParseNestedMeta<'_>, key: Symbol) -> Option<Count> {
    let input = expect_value(cx, meta, key, &format!("{key} = 5"))?;
    if !input.peek(LitInt) || input.peek(Token![-]) {
        // At the value as written: `5.0`, `-1`, `"5"`, `five`.
        let value = take_until_comma(input);
        let message = if value.is_empty() {
            format!("`{key}` needs a value: write `{key} = 5`, or leave `{key}` out for no limit")
        } else if input_is_negative(&value) {
            format!("`{key}` is a count of at least 1; leave `{key}` out for no limit")
        } else {
            let digits = value.to_string().replace(['"', ' '], "");
            let whole = digits.split('.').next().unwrap_or_default();
            if !whole.is_empty() && whole.chars().all(|c| c.is_ascii_digit()) {
                format!("`{key}` is a whole number: write `{key} = {whole}`")
            } else {
                format!(
                    "`{key}` is a whole number, as in `{key} = 5`; leave `{key}` out for no limit"
                )
            }
        };
        if value.is_empty() {
            cx.error_spanned_by(&meta.path, message);
        } else {
            cx.error_spanned_by(value, message);
        }
        return None;
    }
    let Ok(lit) = input.parse::<LitInt>() else {
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

fn input_is_negative(value: &TokenStream) -> bool {
    matches!(value.clone().into_iter().next(), Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == '-')
}

/// `none`, `fixed(d)`, `exponential(initial, cap)`.
pub fn parse_backoff(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> Option<Backoff> {
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
    let arity = |cx: &Ctxt| {
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
    };
    // Counted first: the extra argument is often not a duration at all (the
    // factor other libraries take, `exponential(10ms, 2s, 2)`), and an error
    // about its missing unit would lead away from the fix.
    if top_level_arguments(&content) > expected {
        arity(cx);
        // Consumed, or syn adds an error of its own at the first one.
        let _ = content.parse::<TokenStream>();
        return None;
    }
    let args = duration::parse_list(cx, &content, example)?;
    if args.len() != expected {
        arity(cx);
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
pub fn parse_deadline(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> Option<Deadline> {
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
pub fn parse_triggers(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> Option<Triggers> {
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

pub fn parse_bool(cx: &Ctxt, meta: &ParseNestedMeta<'_>, key: Symbol) -> Option<LitBool> {
    let input = expect_value(cx, meta, key, &format!("{key} = false"))?;
    // A literal of another type is consumed by the failed parse: the error
    // goes where it started, not past it.
    let at = input.fork();
    match input.parse::<LitBool>() {
        Ok(lit) => Some(lit),
        Err(_) => {
            cx.syn_error(at.error(format!("expected `true` or `false` after `{key} =`")));
            None
        }
    }
}

/// The comma-separated arguments in `content`, without consuming them.
fn top_level_arguments(content: ParseStream<'_>) -> usize {
    let tokens: TokenStream = content.fork().parse().unwrap_or_default();
    let mut count = 0;
    let mut in_argument = false;
    for tt in tokens {
        match tt {
            proc_macro2::TokenTree::Punct(p) if p.as_char() == ',' => in_argument = false,
            _ if !in_argument => {
                in_argument = true;
                count += 1;
            }
            _ => {}
        }
    }
    count
}

/// `name = "orders"`: a non-empty string.
pub fn parse_name(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> Option<LitStr> {
    let input = expect_value(cx, meta, NAME, "name = \"orders\"")?;
    // As in `parse_bool`: `name = 3` consumes the `3` before failing.
    let at = input.fork();
    match input.parse::<LitStr>() {
        Ok(lit) if lit.value().is_empty() => {
            cx.error_spanned_by(
                &lit,
                "an empty name names nothing: write `name = \"orders\"`, or leave `name` out",
            );
            None
        }
        Ok(lit) => Some(lit),
        Err(_) => {
            cx.syn_error(at.error(
                "expected a string after `name =`, as in `name = \"orders\"`: the connection's name in logs, events and metrics",
            ));
            None
        }
    }
}

/// A flag: the bare word, no value.
pub fn parse_flag(cx: &Ctxt, meta: &ParseNestedMeta<'_>, key: Symbol) -> Option<()> {
    if meta.input.is_empty() || meta.input.peek(Token![,]) {
        return Some(());
    }
    let value = take_until_comma(meta.input);
    cx.error_spanned_by(
        value,
        format!("`{key}` is a flag and takes no value: write `{key}`, or leave it out"),
    );
    None
}

pub fn parse_crate(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> Option<syn::Path> {
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
