//! `#[recoverable(...)]` on the struct and `#[ha(...)]` on its fields, parsed into
//! typed options that remember where they were written.
//!
//! Parsing records an error and goes on wherever it can, so that every mistake in
//! an attribute is reported in the same build. Checks that look at more than one
//! option are in `check.rs`.

use proc_macro2::TokenStream;
use quote::ToTokens as _;
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::{Attribute, Ident, LitStr, Token};

pub use crate::attr::Attr;
use crate::attr::{key_ident, parse_nested, skip_value, take_until_comma};
use crate::ctxt::Ctxt;
use crate::suggest;
use crate::symbol::{
    ADDR, AFTER, AFTER_ASYNC, CONNECTION, CRATE, DISCOVER, DISCOVER_ASYNC, HA, OFFSET, ON_CONNECT,
    PATH, RECONNECT, RECOVERABLE, RECOVERIES, REOPEN, REOPEN_SEEK, STRATEGY, Symbol, WITH,
    WITH_ASYNC,
};

/// The keys of `#[recoverable(...)]`.
pub const KEYS: &[Symbol] = &[
    STRATEGY,
    WITH,
    WITH_ASYNC,
    AFTER,
    AFTER_ASYNC,
    ON_CONNECT,
    DISCOVER,
    DISCOVER_ASYNC,
    CONNECTION,
    CRATE,
];
/// The values of `strategy = ...`.
pub const STRATEGIES: &[Symbol] = &[REOPEN, REOPEN_SEEK, RECONNECT];
/// The roles of `#[ha(...)]`.
pub const ROLES: &[Symbol] = &[OFFSET, RECOVERIES, PATH, ADDR];

/// A built-in strategy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    Reopen,
    ReopenSeek,
    Reconnect,
}

/// `strategy = ...` as written: the word, for spans and messages.
pub struct StrategyAttr {
    pub strategy: Strategy,
    pub word: Ident,
}

/// Everything `#[recoverable(...)]` says.
pub struct Container {
    pub strategy: Attr<StrategyAttr>,
    pub with: Attr<syn::Path>,
    /// `with_async = path`: an async recovery function, for async covers.
    pub with_async: Attr<syn::Path>,
    pub after: Attr<syn::Path>,
    /// `after_async = path`: an async hook, run after an async recovery.
    pub after_async: Attr<syn::Path>,
    /// `discover = path`: asks where `reconnect` goes, for sync covers.
    pub discover: Attr<syn::Path>,
    /// `discover_async = path`: the same, for async covers.
    pub discover_async: Attr<syn::Path>,
    pub connection: Attr<syn::Type>,
    pub krate: Attr<syn::Path>,
    /// `on_connect`: the first connection is made by the recovery too, so
    /// that the `after` hook runs on it.
    pub on_connect: Attr<()>,
    /// Some key could not be read: checks that rely on a key being absent are
    /// skipped, since the key may be the one that was misspelled.
    pub incomplete: bool,
}

impl Container {
    pub fn from_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut container = Container {
            strategy: Attr::none(STRATEGY),
            with: Attr::none(WITH),
            with_async: Attr::none(WITH_ASYNC),
            after: Attr::none(AFTER),
            after_async: Attr::none(AFTER_ASYNC),
            discover: Attr::none(DISCOVER),
            discover_async: Attr::none(DISCOVER_ASYNC),
            connection: Attr::none(CONNECTION),
            krate: Attr::none(CRATE),
            on_connect: Attr::none(ON_CONNECT),
            incomplete: false,
        };
        for attr in attrs {
            if attr.path() == &HA {
                cx.error_spanned_by(
                    attr,
                    "`#[ha(...)]` gives a field its role and belongs on a field; the struct's options go in `#[recoverable(...)]`",
                );
                continue;
            }
            if attr.path() != &RECOVERABLE || !is_list(cx, attr, RECOVERABLE, KEYS) {
                continue;
            }
            let parsed = parse_nested(cx, attr, |meta| {
                container.incomplete |= !container.parse_key(cx, &meta);
                Ok(())
            });
            if let Err(error) = parsed {
                container.incomplete = true;
                cx.syn_error(error);
            }
        }
        container
    }

    /// Parses one `key = value`, returning whether it could be read. Errors are
    /// recorded, and the value skipped, so the keys after a wrong one are still
    /// read.
    fn parse_key(&mut self, cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> bool {
        let Some(key) = key_ident(cx, meta) else {
            skip_value(meta);
            return false;
        };
        let name = key.to_string();
        let result = if meta.path == STRATEGY {
            parse_strategy(cx, meta).map(|value| value.map(|v| self.strategy.set(cx, key, v)))
        } else if meta.path == WITH {
            parse_path(meta, WITH, "with = path::to::recover_fn")
                .map(|value| value.map(|v| self.with.set(cx, key, v)))
        } else if meta.path == WITH_ASYNC {
            parse_path(meta, WITH_ASYNC, "with_async = path::to::recover_fn")
                .map(|value| value.map(|v| self.with_async.set(cx, key, v)))
        } else if meta.path == AFTER {
            parse_path(meta, AFTER, "after = path::to::hook")
                .map(|value| value.map(|v| self.after.set(cx, key, v)))
        } else if meta.path == AFTER_ASYNC {
            parse_path(meta, AFTER_ASYNC, "after_async = path::to::hook")
                .map(|value| value.map(|v| self.after_async.set(cx, key, v)))
        } else if meta.path == DISCOVER {
            parse_path(meta, DISCOVER, "discover = path::to::discover_fn")
                .map(|value| value.map(|v| self.discover.set(cx, key, v)))
        } else if meta.path == DISCOVER_ASYNC {
            parse_path(
                meta,
                DISCOVER_ASYNC,
                "discover_async = path::to::discover_fn",
            )
            .map(|value| value.map(|v| self.discover_async.set(cx, key, v)))
        } else if meta.path == CONNECTION {
            parse_type(meta).map(|value| value.map(|v| self.connection.set(cx, key, v)))
        } else if meta.path == CRATE {
            parse_path(meta, CRATE, "crate = path::to::ha_cover")
                .map(|value| value.map(|v| self.krate.set(cx, key, v)))
        } else if meta.path == ON_CONNECT {
            Ok(crate::connection::parse::parse_flag(cx, meta, ON_CONNECT)
                .map(|()| self.on_connect.set(cx, key, ())))
        } else {
            let message = suggest::unknown("key", &key.to_string(), "`#[recoverable(...)]`", KEYS);
            cx.error_spanned_by(&meta.path, message);
            skip_value(meta);
            return false;
        };
        match result {
            Ok(Some(())) => {
                // Else syn's "expected `,`", which says nothing of the value:
                // `strategy = reopen | reconnect`.
                let rest = take_until_comma(meta.input);
                if rest.is_empty() {
                    return true;
                }
                cx.error_spanned_by(
                    rest,
                    format!(
                        "unexpected tokens after the value of `{name}`; it takes one value, and keys are separated with commas"
                    ),
                );
                false
            }
            // The value was wrong, and its error recorded; the rest of it
            // would be an error of its own.
            Ok(None) => {
                skip_value(meta);
                false
            }
            Err(error) => {
                cx.syn_error(error);
                skip_value(meta);
                false
            }
        }
    }
}

/// A field's role, where it was written.
pub struct Role {
    pub role: Symbol,
    pub word: Ident,
}

/// Everything `#[ha(...)]` says about one field.
pub struct Field {
    pub role: Attr<Role>,
    /// A role could not be read: the field may be meant to have one.
    pub incomplete: bool,
}

impl Field {
    pub fn from_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut field = Field {
            role: Attr::none(HA),
            incomplete: false,
        };
        for attr in attrs {
            if attr.path() == &RECOVERABLE {
                cx.error_spanned_by(
                    attr,
                    "`#[recoverable(...)]` belongs on the struct; a field's role is given with `#[ha(offset)]`, `#[ha(recoveries)]`, `#[ha(path)]` or `#[ha(addr)]`",
                );
                continue;
            }
            if attr.path() != &HA {
                continue;
            }
            if !is_list(cx, attr, HA, ROLES) {
                field.incomplete = true;
                continue;
            }
            // syn's own error for it names no role and no fix.
            if let syn::Meta::List(list) = &attr.meta
                && let Ok(lit) = syn::parse2::<LitStr>(list.tokens.clone())
            {
                field.incomplete = true;
                cx.error_spanned_by(
                    &lit,
                    format!("write the role without quotes: `#[ha({})]`", lit.value()),
                );
                continue;
            }
            let mut empty = true;
            let parsed = parse_nested(cx, attr, |meta| {
                empty = false;
                field.parse_role(cx, &meta);
                Ok(())
            });
            if let Err(error) = parsed {
                field.incomplete = true;
                cx.syn_error(error);
            } else if empty {
                field.incomplete = true;
                cx.error_spanned_by(
                    attr,
                    format!(
                        "`#[ha()]` gives no role; write the field's role: {}",
                        examples(HA, ROLES)
                    ),
                );
            }
        }
        field
    }

    fn parse_role(&mut self, cx: &Ctxt, meta: &ParseNestedMeta<'_>) {
        let Some(word) = key_ident(cx, meta) else {
            self.incomplete = true;
            return skip_value(meta);
        };
        let Some(&role) = ROLES.iter().find(|role| meta.path == **role) else {
            let message = suggest::unknown("role", &word.to_string(), "`#[ha(...)]`", ROLES);
            cx.error_spanned_by(&meta.path, message);
            self.incomplete = true;
            return skip_value(meta);
        };
        if !meta.input.is_empty() && !meta.input.peek(Token![,]) {
            let value: TokenStream = take_until_comma(meta.input);
            cx.error_spanned_by(
                value,
                format!("the role `{role}` takes no value: write `#[ha({role})]`"),
            );
        }
        if let Some(first) = self.role.key() {
            let message = if first == &word {
                format!("the role `{role}` is given twice; keep one")
            } else {
                format!(
                    "a field has one role, and this one is already `{first}`; put the {role} in a field of its own"
                )
            };
            cx.error_spanned_by(word, message);
            return;
        }
        self.role.set(cx, word.clone(), Role { role, word });
    }
}

/// Whether `attr` is `#[name(...)]`; `#[name]` and `#[name = ...]` are errors that
/// show the right form.
fn is_list(cx: &Ctxt, attr: &Attribute, name: Symbol, valid: &[Symbol]) -> bool {
    if let syn::Meta::List(_) = attr.meta {
        return true;
    }
    cx.error_spanned_by(
        attr,
        format!(
            "malformed `#[{name}]`: write it with parentheses, as in {}",
            examples(name, valid)
        ),
    );
    false
}

/// The right forms of an attribute, for errors about a wrong one.
fn examples(name: Symbol, valid: &[Symbol]) -> String {
    if name != HA {
        return format!(
            "`#[{name}(strategy = reopen_seek)]` (keys: {})",
            suggest::one_of(valid)
        );
    }
    let forms: Vec<String> = valid
        .iter()
        .map(|role| format!("`#[ha({role})]`"))
        .collect();
    match forms.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => forms.concat(),
    }
}

fn parse_strategy(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<StrategyAttr>> {
    let input = expect_value(meta, STRATEGY, "strategy = reopen_seek")?;
    if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        cx.error_spanned_by(
            &lit,
            format!(
                "write the strategy without quotes: `strategy = {}`",
                lit.value()
            ),
        );
        return Ok(None);
    }
    // Read as a path, so that `ha_cover::reopen_seek` (the function of that
    // name) is one error about the whole path, not its first segment and
    // then the rest as a stray token.
    let path = input.call(syn::Path::parse_mod_style).map_err(|e| {
        syn::Error::new(
            e.span(),
            format!("expected a strategy: {}", suggest::one_of(STRATEGIES)),
        )
    })?;
    let word = match path.get_ident() {
        Some(word) => word.clone(),
        None => {
            let last = &path.segments.last().expect("a parsed path").ident;
            let message = if STRATEGIES.iter().any(|s| last == s) {
                format!("a strategy is one word, not a path: write `strategy = {last}`")
            } else {
                format!(
                    "`strategy` is one of {}; a function of your own is `with = {}`",
                    suggest::one_of(STRATEGIES),
                    path.to_token_stream().to_string().replace(' ', ""),
                )
            };
            cx.error_spanned_by(&path, message);
            return Ok(None);
        }
    };
    let strategy = if word == REOPEN {
        Strategy::Reopen
    } else if word == REOPEN_SEEK {
        Strategy::ReopenSeek
    } else if word == RECONNECT {
        Strategy::Reconnect
    } else {
        let mut message = suggest::unknown(
            "strategy",
            &word.to_string(),
            "`strategy = ...`",
            STRATEGIES,
        );
        if word == WITH {
            message.push_str("; a function of your own is `with = path::to::recover_fn`");
        } else {
            message.push_str(", or `with = path::to::recover_fn` for a function of your own");
        }
        cx.error_spanned_by(&word, message);
        return Ok(None);
    };
    Ok(Some(StrategyAttr { strategy, word }))
}

fn parse_path(
    meta: &ParseNestedMeta<'_>,
    key: Symbol,
    form: &str,
) -> syn::Result<Option<syn::Path>> {
    let input = expect_value(meta, key, form)?;
    if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        return Err(syn::Error::new_spanned(
            &lit,
            format!("write the path without quotes: `{key} = {}`", lit.value()),
        ));
    }
    if let Some(closure) = crate::attr::closure(input) {
        return Err(syn::Error::new_spanned(
            closure,
            format!(
                "`{key}` names a function by its path, and a closure has none: write it as a function and give its path, as in `{form}`"
            ),
        ));
    }
    input
        .call(syn::Path::parse_mod_style)
        .map(Some)
        .map_err(|e| syn::Error::new(e.span(), format!("expected a path, as in `{form}`")))
}

fn parse_type(meta: &ParseNestedMeta<'_>) -> syn::Result<Option<syn::Type>> {
    let input = expect_value(meta, CONNECTION, "connection = std::fs::File")?;
    input.parse().map(Some).map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected the connection's type, as in `connection = std::fs::File` or `connection = impl ha_cover::ReconnectTarget`",
        )
    })
}

/// The stream after `key =`; a key without `=` is an error showing the form.
fn expect_value<'a>(
    meta: &'a ParseNestedMeta<'_>,
    key: Symbol,
    form: &str,
) -> syn::Result<ParseStream<'a>> {
    if meta.input.peek(Token![=]) {
        return meta.value();
    }
    Err(syn::Error::new_spanned(
        &meta.path,
        format!("`{key}` needs a value: write `{form}`"),
    ))
}
