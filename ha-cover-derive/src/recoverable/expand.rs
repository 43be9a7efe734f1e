//! The code the derive writes for a checked model: `Recoverable` for the state
//! capture, and (`recovers.rs`) `Recovers` and `AsyncRecovers` for the
//! declared recovery.

mod recovers;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, Generics, Ident, Type, parse_quote};

use super::ast::{Container, Field};
use crate::ctxt::Ctxt;
use crate::runtime::Runtime;
use crate::symbol::{AFTER_ASYNC, DISCOVER_ASYNC, OFFSET, RECOVERIES, WITH_ASYNC};
use crate::tokens::{Names, local, respan};
use recovers::Side;

/// The names the generated code introduces or goes through, none of which
/// can be a name of the user's.
pub struct Generated {
    /// The runtime's hidden module (`krate` below, for short).
    pub krate: TokenStream,
    /// What makes `krate` a name, for `crate = path` (see `runtime.rs`).
    pub import: Option<TokenStream>,
    /// No runtime to name (reported): nothing is written besides the errors.
    pub no_runtime: bool,
    /// The connection type parameter of `Recovers<C>`: `C`, as the runtime's
    /// docs write it, unless the input uses that name.
    pub conn: Ident,
    /// The lifetime of an async recovery's future.
    pub life: syn::Lifetime,
}

impl Generated {
    pub fn new(cx: &Ctxt, input: &DeriveInput, krate: Option<&syn::Path>) -> Self {
        let names = Names::of(input);
        let runtime = Runtime::find(cx, krate, names.fresh(&["ha_cover_runtime"]));
        Generated {
            krate: runtime.private,
            import: runtime.import,
            no_runtime: runtime.missing,
            conn: names.fresh(&["C", "Conn", "Connection", "HaConnection"]),
            life: names.lifetime(&["a", "recovery", "ha_recovery"]),
        }
    }
}

pub fn expand(container: &Container<'_>, names: &Generated) -> TokenStream {
    let krate = &names.krate;
    let recoverable = recoverable_impl(container, krate);
    let recovers = recovers::expand(container, names, Side::Sync);
    let async_recovers = recovers::expand(container, names, Side::Async)
        .map(|item| quote!(#krate::if_tokio! { #item }));
    let require_tokio = require_tokio(container, krate);
    let import = &names.import;
    wrap(quote! {
        #import
        #recoverable
        #recovers
        #async_recovers
        #require_tokio
    })
}

/// An error, without ha-cover's `tokio` feature, at each key that only means
/// something for async covers (a strategy's async impl is left out quietly:
/// the handle still recovers sync covers).
fn require_tokio(container: &Container<'_>, krate: &TokenStream) -> TokenStream {
    let attrs = &container.attrs;
    [
        (attrs.with_async.key(), WITH_ASYNC),
        (attrs.after_async.key(), AFTER_ASYNC),
        (attrs.discover_async.key(), DISCOVER_ASYNC),
    ]
    .into_iter()
    .filter_map(|(key, word)| Some((key?, word.as_str())))
    .map(|(key, word)| {
        let invoke = respan(quote!(#krate::require_tokio!), key.span());
        quote_spanned!(key.span()=> #invoke(#word);)
    })
    .collect()
}

/// Keeps helper items out of the user's namespace.
pub fn wrap(items: TokenStream) -> TokenStream {
    quote! {
        #[doc(hidden)]
        #[allow(unused_qualifications)]
        const _: () = {
            #items
        };
    }
}

/// The handle's generics, with `Self: Send + 'static` (what `Recoverable` asks of
/// every handle) as a where-clause rather than bounds on each parameter: a
/// generic handle is then a handle exactly when its arguments allow it.
///
/// A handle without parameters gets no such clause: `Recoverable`'s own
/// supertraits then report a field that is not `Send` once, where the clause,
/// trivially false, was an error at every impl and every use.
pub fn handle_generics(generics: &Generics, krate: &TokenStream) -> Generics {
    let mut generics = generics.clone();
    if !generics.params.is_empty() {
        generics
            .make_where_clause()
            .predicates
            .push(parse_quote!(Self: #krate::Send + 'static));
    }
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
                fn on_transfer(&mut self, transfer: #krate::Transfer<'_>) {
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
        impl #impl_generics #krate::Recoverable for #ident #ty_generics #where_clause {
            #on_transfer
            #on_recovered
        }
    }
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
        <#ty as #krate::#role>::#method(#borrow self.#member #args)
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
        None => quote!(#krate::None),
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
            .push(parse_quote!(#ty: #krate::#role));
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
