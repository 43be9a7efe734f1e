//! The derive's input as a model: the struct's options and its fields with their
//! roles, keeping the syn nodes for spans.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::{Data, DeriveInput, Fields, Generics, Ident, Member, Type};

use super::attr::{self, Role};
use crate::ctxt::Ctxt;

/// A handle struct.
pub struct Container<'a> {
    pub ident: &'a Ident,
    pub generics: &'a Generics,
    pub attrs: attr::Container,
    pub fields: Vec<Field<'a>>,
}

/// One field of the handle.
pub struct Field<'a> {
    pub member: Member,
    pub ty: &'a Type,
    pub attrs: attr::Field,
    /// Whether the type mentions one of the handle's type or lifetime
    /// parameters: its role is then a bound of the impls, which hold only for
    /// the arguments that give it the role.
    pub generic: bool,
}

impl Field<'_> {
    /// The field's role, if it has one; fields without are the user's own state.
    pub fn role(&self) -> Option<&Role> {
        self.attrs.role.get()
    }
}

impl<'a> Container<'a> {
    /// The model of `input`, or `None` when it is not a struct (recorded in `cx`).
    pub fn from_ast(cx: &Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let attrs = attr::Container::from_attrs(cx, &input.attrs);
        let fields = match &input.data {
            Data::Struct(data) => fields_from_ast(cx, &data.fields, &input.generics),
            Data::Enum(data) => {
                cx.error_spanned_by(
                    data.enum_token,
                    "`Recoverable` can only be derived for a struct: a handle is one set of fields kept up to date by the cover; put the enum in a field of a struct and derive on the struct",
                );
                return None;
            }
            Data::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    "`Recoverable` can only be derived for a struct: the cover writes to the handle's fields, which a union cannot say it has; use a struct",
                );
                return None;
            }
        };
        Some(Container {
            ident: &input.ident,
            generics: &input.generics,
            attrs,
            fields,
        })
    }

    /// Whether the handle recovers sync covers (`HandleRecovery`): it has a sync
    /// recovery (`with`, or a strategy, which has both forms), and no async
    /// hook or discovery that a sync recovery would silently skip.
    pub fn recovers_sync(&self) -> bool {
        let attrs = &self.attrs;
        let recovery = attrs.with.get().is_some() || attrs.strategy.get().is_some();
        let skipped_hook = attrs.after_async.get().is_some() && attrs.after.get().is_none();
        let skipped_discovery =
            attrs.discover_async.get().is_some() && attrs.discover.get().is_none();
        recovery && !skipped_hook && !skipped_discovery
    }

    /// Whether the handle recovers async covers (`AsyncHandleRecovery`): it has an
    /// async recovery (`with_async`, or a strategy), no sync hook or discovery
    /// that an async recovery would skip, and, for a strategy narrowed to one
    /// type with `connection = T`, an async hook or discovery that says the
    /// type is async (a type is one or the other; the sync form, first, keeps
    /// its meaning).
    pub fn recovers_async(&self) -> bool {
        let attrs = &self.attrs;
        let with_async = attrs.with_async.get().is_some();
        let (after, after_async) = (
            attrs.after.get().is_some(),
            attrs.after_async.get().is_some(),
        );
        let strategy = attrs.strategy.get().is_some();
        let one_type = attrs
            .connection
            .get()
            .is_some_and(|ty| !matches!(ty, syn::Type::ImplTrait(_)));
        let (discover, discover_async) = (
            attrs.discover.get().is_some(),
            attrs.discover_async.get().is_some(),
        );
        if with_async {
            return !after || after_async;
        }
        strategy
            && (!after || after_async)
            && (!discover || discover_async)
            && (!one_type || after_async || discover_async)
    }

    /// The field with `role`, the first if there are several.
    pub fn field_with(&self, role: crate::symbol::Symbol) -> Option<&Field<'a>> {
        self.fields
            .iter()
            .find(|field| field.role().is_some_and(|r| r.role == role))
    }
}

fn fields_from_ast<'a>(cx: &Ctxt, fields: &'a Fields, generics: &Generics) -> Vec<Field<'a>> {
    fields
        .iter()
        .enumerate()
        .map(|(i, field)| Field {
            member: match &field.ident {
                Some(ident) => Member::Named(ident.clone()),
                None => Member::Unnamed(i.into()),
            },
            ty: &field.ty,
            attrs: attr::Field::from_attrs(cx, &field.attrs),
            generic: mentions_a_type_parameter(&field.ty, generics),
        })
        .collect()
}

fn mentions_a_type_parameter(ty: &Type, generics: &Generics) -> bool {
    let params: Vec<&Ident> = generics
        .type_params()
        .map(|param| &param.ident)
        .chain(generics.lifetimes().map(|param| &param.lifetime.ident))
        .collect();
    fn walk(tokens: TokenStream, params: &[&Ident]) -> bool {
        tokens.into_iter().any(|tt| match tt {
            proc_macro2::TokenTree::Ident(ident) => params.contains(&&ident),
            proc_macro2::TokenTree::Group(group) => walk(group.stream(), params),
            _ => false,
        })
    }
    walk(ty.to_token_stream(), &params)
}
