//! The code the derive writes for a checked model: `Recoverable` for the state
//! capture, and (`recovers.rs`) `HandleRecovery` and `AsyncHandleRecovery` for the
//! declared recovery.

mod recovers;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, Generics, Ident, parse_quote};

use super::ast::{Container, Field};
use crate::ctxt::Ctxt;
use crate::runtime::Runtime;
use crate::symbol::{
    ADDR, AFTER_ASYNC, DISCOVER_ASYNC, OFFSET, PATH, RECOVERIES, Symbol, WITH_ASYNC,
};
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
    /// The connection type parameter of `HandleRecovery<C>`: `C`, as the runtime's
    /// docs write it, unless the input uses that name.
    pub conn: Ident,
    /// The lifetime of an async recovery's future.
    pub life: syn::Lifetime,
    /// The accessor of each role's field (see `accessors`).
    pub accessors: [Ident; 4],
    /// The lifetime of an accessor's borrow.
    pub field_life: syn::Lifetime,
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
            field_life: names.lifetime(&["field", "ha_field"]),
            accessors: ROLES.map(|(role, _)| {
                let name = format!("ha_cover_{}_field", role.as_str());
                names.fresh(&[name.as_str()])
            }),
        }
    }
}

/// The roles, with the trait that says which types a field with it may have.
const ROLES: [(Symbol, &str); 4] = [
    (OFFSET, "OffsetField"),
    (RECOVERIES, "RecoveriesField"),
    (PATH, "PathField"),
    (ADDR, "AddrField"),
];

impl Generated {
    /// The accessor of the field with `role`.
    fn accessor(&self, role: Symbol) -> &Ident {
        let at = ROLES.iter().position(|(r, _)| *r == role).expect("a role");
        &self.accessors[at]
    }
}

pub fn expand(container: &Container<'_>, names: &Generated) -> TokenStream {
    let krate = &names.krate;
    let accessors = accessors(container, names);
    let recoverable = recoverable_impl(container, names);
    let recovers = recovers::expand(container, names, Side::Sync);
    let async_recovers = recovers::expand(container, names, Side::Async)
        .map(|item| quote!(#krate::if_tokio! { #item }));
    let require_tokio = require_tokio(container, krate);
    let import = &names.import;
    wrap(quote! {
        #import
        #accessors
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

fn recoverable_impl(container: &Container<'_>, names: &Generated) -> TokenStream {
    let krate = &names.krate;
    let ident = container.ident;
    let mut generics = handle_generics(container.generics, krate);
    let offset = container.field_with(OFFSET);
    let recoveries = container.field_with(RECOVERIES);
    bound_generic_fields(
        &mut generics,
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
                names,
                OFFSET,
                "follow",
                Borrow::Mut,
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
        let call = field_call(field, names, RECOVERIES, "count", Borrow::Mut, quote!());
        quote! {
            #[inline]
            fn on_recovered(&mut self) {
                #call;
            }
        }
    });
    let on_connect = container.attrs.on_connect.get().map(|()| {
        quote! {
            const ON_CONNECT: bool = true;
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::Recoverable for #ident #ty_generics #where_clause {
            #on_transfer
            #on_connect
            #on_recovered
        }
    }
}

/// How a role's method takes its field.
#[derive(Clone, Copy)]
pub enum Borrow {
    Shared,
    Mut,
}

/// One function per field with a role, in the derive's `const` block:
/// `fn accessor(handle: &mut Handle) -> &mut impl Role { &mut handle.field }`.
/// The field's type is checked against its role there, once, at the field's
/// type; the impls reach the field through it, and an opaque type is known to
/// have its role, so a type that cannot have it is one error, not one per
/// impl that uses the field.
///
/// A field whose type mentions a type parameter is left out: its role is a
/// bound of the impls instead (see `bound_generic_fields`).
fn accessors(container: &Container<'_>, names: &Generated) -> TokenStream {
    let krate = &names.krate;
    let ident = container.ident;
    // The borrow's lifetime, named: a handle with lifetimes of its own would
    // leave the output's to elision ambiguous.
    let life = &names.field_life;
    let mut generics = container.generics.clone();
    generics.params.insert(0, parse_quote!(#life));
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    let (_, ty_generics, _) = container.generics.split_for_impl();
    ROLES
        .iter()
        .filter_map(|(role, name)| {
            let field = container.field_with(*role)?;
            if field.generic {
                return None;
            }
            let accessor = names.accessor(*role);
            let at = field.ty.span();
            let trait_name = Ident::new(name, Span::call_site());
            let bound = respan(quote!(#krate::#trait_name), at);
            let member = respan(field.member.to_token_stream(), at);
            let handle = local("handle", at);
            let body = quote_spanned!(at=> { &mut #handle.#member });
            let output = quote_spanned!(at=> &#life mut impl #bound);
            Some(quote! {
                #[inline]
                #[allow(dead_code)]
                fn #accessor #impl_generics (#handle: &#life mut #ident #ty_generics) -> #output #where_clause
                    #body
            })
        })
        .collect()
}

/// `Role::method(field, args)`: through the field's accessor when it has one
/// (`accessors`), else `<Ty as Role>::method(&mut self.field, args)` spanned at
/// the field's type, so a type that cannot have the role is reported at the
/// field.
fn field_call(
    field: &Field<'_>,
    names: &Generated,
    role: Symbol,
    method: &str,
    borrow: Borrow,
    args: TokenStream,
) -> TokenStream {
    let krate = &names.krate;
    let ty = field.ty;
    let member = &field.member;
    let trait_name = ROLES
        .iter()
        .find(|(r, _)| *r == role)
        .map(|(_, name)| Ident::new(name, Span::call_site()))
        .expect("a role");
    let method = Ident::new(method, Span::call_site());
    if !field.generic {
        let accessor = names.accessor(role);
        let field = match borrow {
            Borrow::Mut => quote!(#accessor(self)),
            Borrow::Shared => quote!(&*#accessor(self)),
        };
        return quote!(#krate::#trait_name::#method(#field #args));
    }
    let borrow = match borrow {
        Borrow::Mut => quote!(&mut),
        Borrow::Shared => quote!(&),
    };
    quote_spanned!(ty.span()=>
        <#ty as #krate::#trait_name>::#method(#borrow self.#member #args)
    )
}

/// The field's value through its role, or `None` without a field.
fn optional_field_call(
    field: Option<&Field<'_>>,
    names: &Generated,
    role: Symbol,
    method: &str,
) -> TokenStream {
    match field {
        Some(field) => field_call(field, names, role, method, Borrow::Shared, quote!()),
        None => {
            let krate = &names.krate;
            quote!(#krate::None)
        }
    }
}

/// Fields of a generic type need their role as a bound; fields of a concrete type
/// are checked once, by their accessor (see `accessors`).
fn bound_generic_fields<'a, const N: usize>(
    generics: &mut Generics,
    fields: [(Option<&Field<'a>>, &str); N],
    krate: &TokenStream,
) {
    for (field, role) in fields {
        let Some(field) = field else { continue };
        if !field.generic {
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
