//! The code the derive writes for a checked model: `Recoverable` for the state
//! capture, and `Recovers` for the declared recovery.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{GenericParam, Generics, Ident, Type, parse_quote};

use super::ast::{Container, Field};
use super::attr::Strategy;
use crate::symbol::{ADDR, OFFSET, PATH, RECOVERIES};

pub fn expand(container: &Container<'_>) -> TokenStream {
    let krate = krate(container.attrs.krate.get());
    let recoverable = recoverable_impl(container, &krate);
    let recovers = recovers_impl(container, &krate);
    wrap(quote! {
        #recoverable
        #recovers
    })
}

/// Where the runtime is: `::ha_cover`, or the path of a crate that re-exports it.
pub fn krate(path: Option<&syn::Path>) -> TokenStream {
    match path {
        Some(path) => path.to_token_stream(),
        None => quote!(::ha_cover),
    }
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

fn recovers_impl(container: &Container<'_>, krate: &TokenStream) -> Option<TokenStream> {
    let attrs = &container.attrs;
    let strategy = attrs.strategy.get().map(|s| s.strategy);
    if strategy.is_none() && attrs.with.get().is_none() {
        return None;
    }
    let ident = container.ident;
    let mut generics = handle_generics(container.generics, krate);
    let (offset, path, addr) = (
        container
            .field_with(OFFSET)
            .filter(|_| strategy == Some(Strategy::ReopenSeek)),
        container.field_with(PATH),
        container.field_with(ADDR),
    );
    bound_generic_fields(
        &mut generics,
        container,
        [
            (offset, "OffsetField"),
            (path, "PathField"),
            (addr, "AddrField"),
        ],
        krate,
    );
    let conn = connection(container, &mut generics, strategy, krate);
    // A connection named with `connection = T` that the strategy cannot recover is
    // reported at `T`, through the bound of the strategy's function.
    let named = container
        .attrs
        .connection
        .get()
        .filter(|ty| !matches!(ty, Type::ImplTrait(_)));
    // rustc reports an unmet bound of a function at the argument that fixed the
    // type, here `failure`, so both it and the callee carry the type's span.
    let at = named.map_or_else(Span::call_site, |ty| ty.span());
    let strategy_fn = |name: &str| {
        let name = Ident::new(name, Span::call_site());
        let callee = quote!(#krate::__private::#name);
        let callee = if named.is_some() {
            respan(callee, at)
        } else {
            callee
        };
        (callee, local("failure", at))
    };
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    let (_, ty_generics, _) = container.generics.split_for_impl();

    let private = quote!(#krate::__private);
    let failure = local("failure", Span::call_site());
    let fresh = local("fresh", Span::call_site());
    let made = match (strategy, attrs.with.get()) {
        (_, Some(with)) => {
            // Coerced to a fn pointer at the user's path, so a wrong signature is
            // reported there, as "expected fn pointer ..., found fn item ...", and
            // its error type is checked by a call spanned there too.
            let at = with.span();
            let function = local("function", at);
            let call = respan(quote!(#private::with), at);
            let failure = local("failure", at);
            let coerce = quote_spanned! {at=>
                let #function: fn(&#private::Failure<'_, #conn>, &mut Self) -> #private::Result<#conn, _> = #with;
            };
            quote! {
                #coerce
                let #fresh = #call(#function, #failure, self)?;
            }
        }
        (Some(Strategy::Reopen), None) => {
            let path = optional_field_call(path, krate, "PathField", "path");
            let (reopen, failure) = strategy_fn("reopen");
            quote!(let #fresh = #reopen(#failure, #path)?;)
        }
        (Some(Strategy::ReopenSeek), None) => {
            let path = optional_field_call(path, krate, "PathField", "path");
            let offset = field_call(
                offset.expect("checked: reopen_seek has an offset field"),
                krate,
                "OffsetField",
                "position",
                quote!(&),
                quote!(),
            );
            let (reopen_seek, failure) = strategy_fn("reopen_seek");
            quote!(let #fresh = #reopen_seek(#failure, #path, #offset?)?;)
        }
        (Some(Strategy::Reconnect), None) => {
            let addr = match addr {
                Some(field) => {
                    let call = field_call(field, krate, "AddrField", "peer", quote!(&), quote!());
                    quote!(#call?)
                }
                None => quote!(#private::None),
            };
            let (reconnect, failure) = strategy_fn("reconnect");
            quote!(let #fresh = #reconnect(#failure, #addr)?;)
        }
        (None, None) => unreachable!("returned above"),
    };
    let result = match attrs.after.get() {
        None => quote!(#private::Ok(#fresh)),
        Some(after) => {
            let at = after.span();
            let hook = local("after", at);
            let call = respan(quote!(#private::after), at);
            let coerce = quote_spanned! {at=>
                let #hook: fn(&mut #conn, &mut Self) -> #private::Result<(), _> = #after;
            };
            quote! {
                #coerce
                #call(#hook, #fresh, self)
            }
        }
    };
    // The header is spanned at the strategy, where rustc's "required for `Handle` to
    // implement `Recovers<UnixStream>`" then points; spanned at the derive, rustc
    // would instead blame the handle's type parameters and suggest a manual impl.
    let header = attrs
        .strategy
        .get()
        .map(|s| s.word.span())
        .or_else(|| attrs.with.key().map(Ident::span))
        .unwrap_or_else(Span::call_site);
    let impl_token = quote_spanned!(header=> impl);
    let recovers = respan(quote!(#private::Recovers<#conn>), header);
    Some(quote! {
        #[automatically_derived]
        #impl_token #impl_generics #recovers for #ident #ty_generics #where_clause {
            fn recover(
                &mut self,
                #failure: &#private::Failure<'_, #conn>,
            ) -> #private::Result<#conn, #private::AttemptError> {
                #made
                #result
            }
        }
    })
}

/// The connection type the impl is for, adding the generic parameter and the
/// strategy's bound to `generics`: a strategy alone recovers every connection its
/// marker trait admits; `connection = T` narrows that to `T`, and
/// `connection = impl Bounds` to the connections with those bounds.
fn connection(
    container: &Container<'_>,
    generics: &mut Generics,
    strategy: Option<Strategy>,
    krate: &TokenStream,
) -> TokenStream {
    let word = container.attrs.strategy.get().map(|s| s.word.span());
    let target = strategy.map(|strategy| {
        let target = match strategy {
            Strategy::Reopen => quote!(#krate::__private::ReopenTarget),
            Strategy::ReopenSeek => quote!(#krate::__private::ReopenSeekTarget),
            Strategy::Reconnect => quote!(#krate::__private::ReconnectTarget),
        };
        respan(target, word.unwrap_or_else(Span::call_site))
    });
    match container.attrs.connection.get() {
        Some(Type::ImplTrait(bounds)) => {
            let param = connection_param(container.generics);
            let bounds = &bounds.bounds;
            let target = target.map(|t| quote!(+ #t));
            generics.params.push(parse_quote!(#param: #bounds #target));
            param.into_token_stream()
        }
        Some(ty) => ty.to_token_stream(),
        None => {
            let param = connection_param(container.generics);
            let target = target.expect("checked: `with` comes with `connection`");
            generics.params.push(parse_quote!(#param: #target));
            param.into_token_stream()
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

/// `tokens` with every span set to `span`, so an error about them is reported at
/// the user's token that `span` comes from.
fn respan(tokens: TokenStream, span: Span) -> TokenStream {
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
fn local(name: &str, at: Span) -> Ident {
    Ident::new(name, Span::mixed_site().located_at(at))
}
