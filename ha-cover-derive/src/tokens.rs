//! Helpers for the code both macros write: spans that put rustc's errors at
//! the user's token, and local names that cannot capture the user's.

use std::collections::HashSet;

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::Ident;
use syn::ext::IdentExt as _;

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

/// The identifiers a macro's input uses, so that the names the generated code
/// introduces (a connection type parameter, a lifetime) are none of them: a
/// handle named `C`, or a field of the user's `type C = u64`, then still means
/// the user's `C`.
pub struct Names {
    taken: HashSet<String>,
}

impl Names {
    pub fn of(input: impl ToTokens) -> Self {
        fn collect(tokens: TokenStream, taken: &mut HashSet<String>) {
            for tt in tokens {
                match tt {
                    TokenTree::Ident(ident) => {
                        // `r#C` names the same `C` a generated name must avoid.
                        taken.insert(ident.unraw().to_string());
                    }
                    TokenTree::Group(group) => collect(group.stream(), taken),
                    _ => {}
                }
            }
        }
        let mut taken = HashSet::new();
        collect(input.into_token_stream(), &mut taken);
        Names { taken }
    }

    /// The first of `candidates` that the input does not use, or the last
    /// with a number after it.
    pub fn fresh(&self, candidates: &[&str]) -> Ident {
        let name = self.free(candidates);
        Ident::new(&name, Span::call_site())
    }

    /// A lifetime the input does not use.
    pub fn lifetime(&self, candidates: &[&str]) -> syn::Lifetime {
        let name = self.free(candidates);
        syn::Lifetime::new(&format!("'{name}"), Span::call_site())
    }

    fn free(&self, candidates: &[&str]) -> String {
        if let Some(free) = candidates.iter().find(|c| !self.taken.contains(**c)) {
            return (*free).to_owned();
        }
        let last = candidates.last().expect("a candidate");
        (1..)
            .map(|n| format!("{last}{n}"))
            .find(|name| !self.taken.contains(name))
            .expect("a free name")
    }
}
