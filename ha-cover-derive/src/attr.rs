//! What the two macros' attribute parsers share: an option that remembers the
//! key it was written with, and the reading of one `key = value` up to the
//! next comma.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::{Ident, Token};

use crate::ctxt::Ctxt;
use crate::symbol::Symbol;

/// One option: its value and the key it was written with, for error spans. A
/// second value for the same key is an error at the second key.
pub struct Attr<T> {
    name: Symbol,
    value: Option<(Ident, T)>,
}

impl<T> Attr<T> {
    pub fn none(name: Symbol) -> Self {
        Self { name, value: None }
    }

    /// Keeps the first value; a second one is an error at its key.
    pub fn set(&mut self, cx: &Ctxt, key: Ident, value: T) {
        if self.value.is_some() {
            let message = format!("`{}` is given twice; keep one of them", self.name);
            cx.error_spanned_by(key, message);
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

/// The key of a `key = value` as one word (`crate` included, which is a
/// keyword); `a::b = ...` is an error.
pub fn key_ident(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> Option<Ident> {
    let path = &meta.path;
    if path.leading_colon.is_none() && path.segments.len() == 1 {
        return Some(path.segments[0].ident.clone());
    }
    cx.error_spanned_by(path, "expected a single word here");
    None
}

/// Consumes whatever follows a key up to the next comma.
pub fn skip_value(meta: &ParseNestedMeta<'_>) {
    let _ = take_until_comma(meta.input);
}

/// The tokens up to the next comma at this level, consumed.
pub fn take_until_comma(input: ParseStream<'_>) -> TokenStream {
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

/// A closure where a function's path is expected, consumed whole (its
/// parameters hold commas, which would otherwise end the value early and make
/// the rest look like more keys), for one error spanning it.
pub fn closure(input: ParseStream<'_>) -> Option<TokenStream> {
    let starts = input.peek(Token![|])
        || input.peek(Token![||])
        || input.peek(Token![move])
        || (input.peek(Token![async]) && !input.peek2(syn::Ident));
    if !starts {
        return None;
    }
    let fork = input.fork();
    match fork.parse::<syn::Expr>() {
        Ok(expr) => {
            use syn::parse::discouraged::Speculative;
            input.advance_to(&fork);
            Some(expr.into_token_stream())
        }
        Err(_) => Some(take_until_comma(input)),
    }
}

/// `args` without a comma that follows another or opens the list, each
/// reported: syn's error for one ("unexpected token in nested attribute,
/// expected ident") says nothing of the comma, and stops the keys after it.
pub fn drop_extra_commas(cx: &Ctxt, args: TokenStream) -> TokenStream {
    let mut after_comma = true;
    args.into_iter()
        .filter(|tt| {
            let comma = matches!(tt, proc_macro2::TokenTree::Punct(p) if p.as_char() == ',');
            if comma && after_comma {
                cx.error_spanned_by(tt, "an extra comma, with nothing before it: remove it");
                return false;
            }
            after_comma = comma;
            true
        })
        .collect()
}

/// `attr.parse_nested_meta(logic)`, with extra commas reported and dropped as
/// in `drop_extra_commas`.
pub fn parse_nested(
    cx: &Ctxt,
    attr: &syn::Attribute,
    logic: impl FnMut(ParseNestedMeta<'_>) -> syn::Result<()>,
) -> syn::Result<()> {
    let syn::Meta::List(list) = &attr.meta else {
        return attr.parse_nested_meta(logic);
    };
    let mut list = list.clone();
    list.tokens = drop_extra_commas(cx, list.tokens);
    // Through the list, so that an error at its end is at its `)`.
    list.parse_args_with(syn::meta::parser(logic))
}
