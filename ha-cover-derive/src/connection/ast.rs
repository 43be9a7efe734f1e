//! The attribute's input as a model: the unit struct it declares and the
//! options, keeping the syn nodes for spans.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::{Fields, Item, ItemStruct};

use super::attr::Options;
use super::value::{Kind, Mode};
use crate::ctxt::Ctxt;

/// A declared connection type.
pub struct Container {
    pub item: ItemStruct,
    pub options: Options,
}

impl Container {
    /// The model of `item`, or `None` when it is not a struct (recorded in `cx`).
    /// A struct with fields or generics is recorded as an error too, but still
    /// modelled, so its uses compile against the fallback.
    pub fn from_ast(cx: &Ctxt, item: Item, options: Options) -> Option<Self> {
        let item = match item {
            Item::Struct(item) => item,
            other => {
                not_a_struct(cx, &other);
                return None;
            }
        };
        let generic = !item.generics.params.is_empty() || item.generics.where_clause.is_some();
        match &item.fields {
            Fields::Unit => {}
            // One mistake, reported once, at the parameters below.
            _ if generic => {}
            fields => cx.error_spanned_by(
                fields,
                format!(
                    "`#[ha_connection]` writes the fields of `{}` itself (the cover and its connection): declare it as a unit struct, `struct {};`",
                    item.ident, item.ident
                ),
            ),
        }
        if generic {
            cx.error_spanned_by(
                &item.generics,
                format!(
                    "a declared connection type is a unit struct without type parameters: its connection, handle and mode are fixed by `#[ha_connection(...)]`; write `struct {};`, one type per connection",
                    item.ident
                ),
            );
        }
        for attr in &item.attrs {
            if is_ha_connection(attr) {
                cx.error_spanned_by(
                    attr,
                    format!(
                        "`#[ha_connection]` is given twice on `{}`, and a type has one declaration; keep one of them (two declarations are two unit structs)",
                        item.ident
                    ),
                );
            }
            if attr.path().is_ident("derive") {
                cx.error_spanned_by(
                    attr,
                    "`#[ha_connection]` implements what a connection can have itself (`Debug`, and `Read`, `Write`, `Seek` as its mode allows); remove `#[derive(...)]`",
                );
            }
        }
        Some(Container { item, options })
    }

    /// The declared kind, or a file when the declaration has none (fallback).
    pub fn kind(&self) -> Kind {
        self.options.kind().cloned().unwrap_or(Kind::File)
    }

    /// The declared mode, or `read_write` when the declaration has none
    /// (fallback: every I/O method then compiles).
    pub fn mode(&self) -> Mode {
        self.options.mode().unwrap_or(Mode::ReadWrite)
    }
}

/// `#[ha_connection(...)]` or `#[ha_cover::ha_connection(...)]`, as a second
/// declaration left on the struct by the first.
pub fn is_ha_connection(attr: &syn::Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|segment| segment.ident == "ha_connection")
}

fn not_a_struct(cx: &Ctxt, item: &Item) {
    let found = match item {
        Item::Enum(_) => "an enum",
        Item::Fn(_) => "a function",
        Item::Union(_) => "a union",
        Item::Trait(_) => "a trait",
        Item::Impl(_) => "an impl block",
        Item::Type(_) => "a type alias",
        _ => "this item",
    };
    cx.error_spanned_by(
        keyword(item),
        format!(
            "`#[ha_connection]` declares a connection type and goes on a unit struct, not on {found}: write `#[ha_connection(file, mode = read_only)] struct TestFile;`"
        ),
    );
}

/// The item's keyword (`enum`, `fn`...), where an error about its kind belongs.
fn keyword(item: &Item) -> TokenStream {
    match item {
        Item::Enum(item) => item.enum_token.to_token_stream(),
        Item::Fn(item) => item.sig.fn_token.to_token_stream(),
        Item::Union(item) => item.union_token.to_token_stream(),
        Item::Trait(item) => item.trait_token.to_token_stream(),
        Item::Impl(item) => item.impl_token.to_token_stream(),
        Item::Type(item) => item.type_token.to_token_stream(),
        other => other.to_token_stream(),
    }
}
