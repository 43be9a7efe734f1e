//! Helpers for the code both macros write: spans that put rustc's errors at
//! the user's token, and local names that cannot capture the user's.

use proc_macro2::{Span, TokenStream};
use syn::Ident;

/// `tokens` with every span set to `span`, so an error about them is reported at
/// the user's token that `span` comes from.
pub fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tt| {
            if let proc_macro2::TokenTree::Group(group) = &tt {
                let mut inner =
                    proc_macro2::Group::new(group.delimiter(), respan(group.stream(), span));
                inner.set_span(span);
                tt = inner.into();
            } else {
                tt.set_span(span);
            }
            tt
        })
        .collect()
}

/// A local variable of the generated code, at `at` for errors. Hygienic: a
/// user's function called `failure` or `fresh` is not shadowed by it, since code
/// from the user's tokens cannot see it.
pub fn local(name: &str, at: Span) -> Ident {
    Ident::new(name, Span::mixed_site().located_at(at))
}
