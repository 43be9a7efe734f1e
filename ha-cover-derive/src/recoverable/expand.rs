//! The code the derive writes for a checked model: `Recoverable` for the state
//! capture, and (`recovers.rs`) `Recovers` and `AsyncRecovers` for the
//! declared recovery.

mod recovers;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{GenericParam, Generics, Ident, Type, parse_quote};

use super::ast::{Container, Field};
use crate::symbol::{AFTER_ASYNC, OFFSET, RECOVERIES, WITH_ASYNC};
use crate::tokens::{local, respan};
use recovers::Side;

pub fn expand(container: &Container<'_>) -> TokenStream {
    let krate = krate(container.attrs.krate.get());
    let recoverable = recoverable_impl(container, &krate);
    let recovers = recovers::expand(container, &krate, Side::Sync);
    let async_recovers = recovers::expand(container, &krate, Side::Async)
        .map(|item| quote!(#krate::__private::if_tokio! { #item }));
    let require_tokio = require_tokio(container, &krate);
    wrap(
        container.attrs.krate.get(),
        quote! {
            #recoverable
            #recovers
            #async_recovers
            #require_tokio
        },
    )
}

/// An error, without ha-cover's `tokio` feature, at each key that only means
/// something for async covers (a strategy's async impl is left out quietly:
/// the handle still recovers sync covers).
fn require_tokio(container: &Container<'_>, krate: &TokenStream) -> TokenStream {
    let attrs = &container.attrs;
    [
        (attrs.with_async.key(), WITH_ASYNC),
        (attrs.after_async.key(), AFTER_ASYNC),
    ]
    .into_iter()
    .filter_map(|(key, word)| Some((key?, word.as_str())))
    .map(|(key, word)| {
        let invoke = respan(quote!(#krate::__private::require_tokio!), key.span());
        quote_spanned!(key.span()=> #invoke(#word);)
    })
    .collect()
}

/// Where the runtime is: `::ha_cover`, or, for `crate = path`, the alias
/// [`wrap`] imports the path as.
pub fn krate(path: Option<&syn::Path>) -> TokenStream {
    match path {
        Some(_) => quote!(__ha_cover),
        None => quote!(::ha_cover),
    }
}

/// Keeps helper items out of the user's namespace. With `crate = path`, the
/// path is imported once at the top, so a path that does not resolve is one
/// error there (as serde's `crate = ...`), not one per name the code uses.
pub fn wrap(path: Option<&syn::Path>, items: TokenStream) -> TokenStream {
    let import = path.map(|path| quote!(use #path as __ha_cover;));
    quote! {
        #[doc(hidden)]
        #[allow(unused_qualifications)]
        const _: () = {
            #import
            #items
        };
    }
}

/// The handle's generics, with `Self: Send + 'static` (what `Recoverable` asks of
/// every handle) as a where-clause rather than bounds on each parameter: a
/// generic handle is then a handle exactly when its arguments allow it.
pub fn handle_generics(generics: &Generics, krate: &TokenStream) -> Generics {
    let mut generics = generics.clone();
    generics
        .make_where_clause()
        .predicates
        .push(parse_quote!(Self: #krate::__private::Send + 'static));
    generics
}

fn recoverable_impl(container: &Container<'_>, krate: &TokenStream) -> TokenStream {
    let ident = container.ident;
    let mut generics = handle_generics(container.generics, krate);
    let offset = container.field_with(OFFSET);
    let recoveries = container.field_with(RECOVERIES);
    bound_generic_fields(
        &mut generics,
        container,
        [(offset, "OffsetField"), (recoveries, "RecoveriesField")],
        krate,
    );
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();

    let on_transfer = match offset {
        None => quote! {
            const OBSERVES_TRANSFERS: bool = false;
        },
        Some(field) => {
            let call = field_call(
                field,
                krate,
                "OffsetField",
                "follow",
                quote!(&mut),
                quote!(, transfer),
            );
            quote! {
                #[inline]
                fn on_transfer(&mut self, transfer: #krate::__private::Transfer<'_>) {
                    #call;
                }
            }
        }
    };
    let on_recovered = recoveries.map(|field| {
        let call = field_call(
            field,
            krate,
            "RecoveriesField",
            "count",
            quote!(&mut),
            quote!(),
        );
        quote! {
            #[inline]
            fn on_recovered(&mut self) {
                #call;
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::__private::Recoverable for #ident #ty_generics #where_clause {
            #on_transfer
            #on_recovered
        }
    }
}

/// `C`, the name the runtime's docs use, unless the handle has a parameter so
/// named.
pub fn connection_param(generics: &Generics) -> Ident {
    let taken = |name: &str| {
        generics.params.iter().any(|param| match param {
            GenericParam::Type(ty) => ty.ident == name,
            GenericParam::Const(c) => c.ident == name,
            GenericParam::Lifetime(_) => false,
        })
    };
    ["C", "Conn", "Connection"]
        .into_iter()
        .find(|name| !taken(name))
        .map_or_else(
            || format_ident!("__HaConnection"),
            |name| format_ident!("{name}"),
        )
}

/// `<Ty as Role>::method(&mut self.field, args)`, spanned at the field's type, so
/// a type that cannot have the role is reported at the field.
fn field_call(
    field: &Field<'_>,
    krate: &TokenStream,
    role: &str,
    method: &str,
    borrow: TokenStream,
    args: TokenStream,
) -> TokenStream {
    let ty = field.ty;
    let member = &field.member;
    let role = Ident::new(role, Span::call_site());
    let method = Ident::new(method, Span::call_site());
    quote_spanned!(ty.span()=>
        <#ty as #krate::__private::#role>::#method(#borrow self.#member #args)
    )
}

/// The field's value through its role, or `None` without a field.
fn optional_field_call(
    field: Option<&Field<'_>>,
    krate: &TokenStream,
    role: &str,
    method: &str,
) -> TokenStream {
    match field {
        Some(field) => field_call(field, krate, role, method, quote!(&), quote!()),
        None => quote!(#krate::__private::None),
    }
}

/// Fields of a generic type need their role as a bound; fields of a concrete type
/// are checked at the call, once, where the error names the field.
fn bound_generic_fields<'a, const N: usize>(
    generics: &mut Generics,
    container: &Container<'a>,
    fields: [(Option<&Field<'a>>, &str); N],
    krate: &TokenStream,
) {
    for (field, role) in fields {
        let Some(field) = field else { continue };
        if !mentions_a_type_parameter(field.ty, container.generics) {
            continue;
        }
        let ty = field.ty;
        let role = Ident::new(role, Span::call_site());
        generics
            .make_where_clause()
            .predicates
            .push(parse_quote!(#ty: #krate::__private::#role));
    }
}

fn mentions_a_type_parameter(ty: &Type, generics: &Generics) -> bool {
    let params: Vec<&Ident> = generics.type_params().map(|param| &param.ident).collect();
    fn walk(tokens: TokenStream, params: &[&Ident]) -> bool {
        tokens.into_iter().any(|tt| match tt {
            proc_macro2::TokenTree::Ident(ident) => params.contains(&&ident),
            proc_macro2::TokenTree::Group(group) => walk(group.stream(), params),
            _ => false,
        })
    }
    walk(ty.to_token_stream(), &params)
}
