//! Procedural macros for [`ha-cover`](https://docs.rs/ha-cover). Use them through
//! `ha_cover`, which re-exports them with their documentation; this crate is an
//! implementation detail.
//!
//! Each macro is a module (parse, check, expand); `attr`, `ctxt`, `symbol`,
//! `suggest` and `tokens` are shared by them.

mod attr;
mod connection;
mod ctxt;
mod recoverable;
mod runtime;
mod suggest;
mod symbol;
mod tokens;

#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// Derives `ha_cover::Recoverable` and, from `#[recoverable(strategy = ...)]`,
/// `ha_cover::HandleRecovery`. Documented at `ha_cover::Recoverable`.
#[proc_macro_derive(Recoverable, attributes(recoverable, ha))]
pub fn derive_recoverable(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    recoverable::derive(&input).into()
}

/// Declares a typed cover: a connection type whose kind, access mode, handle,
/// recovery and policy are fixed in one place and checked at compile time.
/// Documented at `ha_cover::ha_connection`.
#[proc_macro_attribute]
pub fn ha_connection(args: TokenStream, item: TokenStream) -> TokenStream {
    connection::expand(args.into(), item.into()).into()
}
