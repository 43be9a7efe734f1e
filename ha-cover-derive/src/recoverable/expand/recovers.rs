//! The declared recovery as an impl: `HandleRecovery` for sync covers and
//! `AsyncHandleRecovery` for async ones, written by one function for either side,
//! since they differ only in the names they call and in awaiting.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Generics, Ident, Type, parse_quote};

use super::super::ast::{Container, Field};
use super::super::attr::Strategy;
use super::{
    Borrow, Generated, bound_generic_fields, field_call, handle_generics, local,
    optional_field_call, respan,
};
use crate::symbol::{ADDR, OFFSET, PATH};

/// Which covers an impl recovers.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// `HandleRecovery<C>`, run by `ha_cover::by_handle`.
    Sync,
    /// `AsyncHandleRecovery<C>`, run by `ha_cover::asynchronous::by_handle`.
    Async,
}

impl Side {
    /// Where the runtime's items for this side are.
    fn runtime(self, krate: &TokenStream) -> TokenStream {
        match self {
            Side::Sync => quote!(#krate),
            Side::Async => quote!(#krate::asynchronous),
        }
    }

    /// The marker trait of the connections `strategy` recovers.
    fn target(self, strategy: Strategy) -> Ident {
        let name = match (self, strategy) {
            (Side::Sync, Strategy::Reopen) => "ReopenTarget",
            (Side::Sync, Strategy::ReopenSeek) => "ReopenSeekTarget",
            (Side::Sync, Strategy::Reconnect) => "ReconnectTarget",
            (Side::Async, Strategy::Reopen) => "AsyncReopenTarget",
            (Side::Async, Strategy::ReopenSeek) => "AsyncReopenSeekTarget",
            (Side::Async, Strategy::Reconnect) => "AsyncReconnectTarget",
        };
        Ident::new(name, Span::call_site())
    }

    /// `?` on a result, or `.await?` on a future of one.
    fn then_try(self) -> TokenStream {
        match self {
            Side::Sync => quote!(?),
            Side::Async => quote!(.await?),
        }
    }
}

/// The impl for `side`, or `None` when the handle declares no recovery for it.
pub fn expand(container: &Container<'_>, names: &Generated, side: Side) -> Option<TokenStream> {
    let krate = &names.krate;
    let recovers = match side {
        Side::Sync => container.recovers_sync(),
        Side::Async => container.recovers_async(),
    };
    if !recovers {
        return None;
    }
    let attrs = &container.attrs;
    let strategy = attrs.strategy.get().map(|s| s.strategy);
    let ident = container.ident;
    let mut generics = handle_generics(container.generics, krate);
    let bound_by_recoverable = container.generics.params.is_empty();
    let (offset, path, addr) = (
        container
            .field_with(OFFSET)
            .filter(|_| strategy == Some(Strategy::ReopenSeek)),
        container.field_with(PATH),
        container.field_with(ADDR),
    );
    bound_generic_fields(
        &mut generics,
        [
            (offset, "OffsetField"),
            (path, "PathField"),
            (addr, "AddrField"),
        ],
        krate,
    );
    let conn = connection(container, &mut generics, strategy, names, side);
    if bound_by_recoverable {
        // Holds by the derive's own impl, and brings its supertraits (`Send`,
        // `'static`) into scope: a handle that is not `Send` is then reported
        // at that impl only, not again here or at every use. Without the
        // `for<'x>`, rustc would check the clause itself as a bound that holds
        // or not whatever the impl's parameters (there are none), and report it
        // a second time.
        generics
            .make_where_clause()
            .predicates
            .push(parse_quote!(for<'x> Self: #krate::Recoverable));
    }
    let runtime = side.runtime(krate);
    if let (Some(ty), Some(_)) = (named_connection(container), attrs.strategy.get()) {
        // The trait's own bound on `T` (`Connection`) is left to the
        // strategy's function, whose bound implies it and says what the
        // strategy needs: under `for<'x>`, rustc checks the clause where the
        // impl is used, not here as a second error.
        let connection = match side {
            Side::Sync => quote!(#krate::Connection),
            Side::Async => quote!(#runtime::AsyncConnection),
        };
        generics
            .make_where_clause()
            .predicates
            .push(parse_quote!(for<'x> #ty: #connection));
    }
    // A connection named with `connection = T` that the strategy cannot recover is
    // reported at `T`, through the bound of the strategy's function.
    let named = named_connection(container);
    // rustc reports an unmet bound of a function at the argument that fixed the
    // type, here `failure`, so both it and the callee carry the type's span.
    let at = named.map_or_else(Span::call_site, |ty| ty.span());
    let strategy_fn = |name: &str| {
        let name = Ident::new(name, Span::call_site());
        let callee = quote!(#runtime::#name);
        let callee = if named.is_some() {
            respan(callee, at)
        } else {
            callee
        };
        (callee, local("failure", at))
    };
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    let (_, ty_generics, _) = container.generics.split_for_impl();

    let private = quote!(#krate);
    let failure = local("failure", Span::call_site());
    let fresh = local("fresh", Span::call_site());
    let then_try = side.then_try();
    let hook = match side {
        Side::Sync => attrs.after.get(),
        Side::Async => attrs.after_async.get(),
    };
    let discovery = match side {
        Side::Sync => attrs.discover.get(),
        Side::Async => attrs.discover_async.get(),
    };
    let with = match side {
        Side::Sync => attrs.with.get(),
        Side::Async => attrs.with_async.get(),
    };
    let made = match (strategy, with) {
        (_, Some(with)) => {
            // The runner checks the function's signature through a trait whose
            // message states the one expected; the call is spanned at the
            // user's path, so that is where a wrong one is reported, once.
            let at = with.span();
            let call = respan(quote!(#runtime::with::<#conn, Self, _, _, _, _>), at);
            let failure = local("failure", at);
            let then_try = respan(then_try.clone(), at);
            let call = quote_spanned!(at=> #call(#with, #failure, self) #then_try);
            quote!(let #fresh = #call;)
        }
        (Some(Strategy::Reopen), _) => {
            let path = optional_field_call(path, names, PATH, "path");
            let (reopen, failure) = strategy_fn("reopen");
            quote!(let #fresh = #reopen(#failure, #path) #then_try;)
        }
        (Some(Strategy::ReopenSeek), _) => {
            // The offset first: both fields are reached through `&mut self`,
            // and the path's borrow lasts through the call.
            let offset = field_call(
                offset.expect("checked: reopen_seek has an offset field"),
                names,
                OFFSET,
                "position",
                Borrow::Shared,
                quote!(),
            );
            let position = local("position", Span::call_site());
            let path = optional_field_call(path, names, PATH, "path");
            let (reopen_seek, failure) = strategy_fn("reopen_seek");
            quote! {
                let #position = #offset?;
                let #fresh = #reopen_seek(#failure, #path, #position) #then_try;
            }
        }
        (Some(Strategy::Reconnect), _) => {
            let addr_now = match addr {
                Some(field) => {
                    let call = field_call(field, names, ADDR, "peer", Borrow::Shared, quote!());
                    quote!(#call?)
                }
                None => quote!(#private::None),
            };
            match discovery {
                Some(function) => discover(
                    function, addr, addr_now, hook, &conn, names, side, &failure, &fresh,
                ),
                None => {
                    let (reconnect, failure) = strategy_fn("reconnect");
                    quote!(let #fresh = #reconnect(#failure, #addr_now) #then_try;)
                }
            }
        }
        _ => unreachable!("`recovers_sync` and `recovers_async` say there is a recovery"),
    };
    let result = match hook {
        // The discovery ran the hook on each address it tried.
        _ if discovery.is_some() => quote!(#private::Ok(#fresh)),
        None => quote!(#private::Ok(#fresh)),
        Some(after) => {
            let run = run_after(after, &conn, &runtime, side, &fresh, &quote!(self));
            quote! {
                let mut #fresh = #fresh;
                #run
                #private::Ok(#fresh)
            }
        }
    };
    // The header is spanned at the strategy, where rustc's "required for `Handle` to
    // implement `HandleRecovery<UnixStream>`" then points; spanned at the derive, rustc
    // would instead blame the handle's type parameters and suggest a manual impl.
    let with_key = match side {
        Side::Sync => attrs.with.key(),
        Side::Async => attrs.with_async.key(),
    };
    let header = attrs
        .strategy
        .get()
        .map(|s| s.word.span())
        .or_else(|| with_key.map(Ident::span))
        .unwrap_or_else(Span::call_site);
    let impl_token = quote_spanned!(header=> impl);
    let item = match side {
        Side::Sync => {
            let recovers = respan(quote!(#private::HandleRecovery<#conn>), header);
            quote! {
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
            }
        }
        Side::Async => {
            let recovers = respan(quote!(#runtime::AsyncHandleRecovery<#conn>), header);
            let life = &names.life;
            quote! {
                #[automatically_derived]
                #impl_token #impl_generics #recovers for #ident #ty_generics #where_clause {
                    fn recover<#life>(
                        &#life mut self,
                        #failure: &#life #runtime::AsyncFailure<#life, #conn>,
                    ) -> #runtime::BoxFuture<#life, #private::Result<#conn, #private::AttemptError>> {
                        #private::std::boxed::Box::pin(async move {
                            #made
                            #result
                        })
                    }
                }
            }
        }
    };
    Some(item)
}

/// The connection type named by `connection = T`, unless it is `impl Bounds`.
fn named_connection<'a>(container: &'a Container<'_>) -> Option<&'a Type> {
    container
        .attrs
        .connection
        .get()
        .filter(|ty| !matches!(ty, Type::ImplTrait(_)))
}

/// The connection type the impl is for, adding the generic parameter and the
/// strategy's bound to `generics`: a strategy alone recovers every connection its
/// marker trait admits; `connection = T` narrows that to `T`, and
/// `connection = impl Bounds` to the connections with those bounds.
fn connection(
    container: &Container<'_>,
    generics: &mut Generics,
    strategy: Option<Strategy>,
    names: &Generated,
    side: Side,
) -> TokenStream {
    let krate = &names.krate;
    let word = container.attrs.strategy.get().map(|s| s.word.span());
    let runtime = side.runtime(krate);
    let target = strategy.map(|strategy| {
        let target = side.target(strategy);
        respan(
            quote!(#runtime::#target),
            word.unwrap_or_else(Span::call_site),
        )
    });
    match container.attrs.connection.get() {
        Some(Type::ImplTrait(bounds)) => {
            let param = &names.conn;
            let bounds = &bounds.bounds;
            let target = target.map(|t| quote!(+ #t));
            generics.params.push(parse_quote!(#param: #bounds #target));
            param.into_token_stream()
        }
        Some(ty) => ty.to_token_stream(),
        None => {
            let param = &names.conn;
            let target = target.expect("checked: `with` comes with `connection`");
            generics.params.push(parse_quote!(#param: #target));
            param.into_token_stream()
        }
    }
}

/// `strategy = reconnect` with `discover = function` (or `discover_async`):
/// the runtime asks the function where to go and tries each address, running
/// the hook on each new connection; the address reached is kept in the
/// `#[ha(addr)]` field.
#[allow(clippy::too_many_arguments)]
fn discover(
    function: &syn::Path,
    addr: Option<&Field<'_>>,
    addr_now: TokenStream,
    hook: Option<&syn::Path>,
    conn: &TokenStream,
    names: &Generated,
    side: Side,
    failure: &Ident,
    fresh: &Ident,
) -> TokenStream {
    let krate = &names.krate;
    let private = quote!(#krate);
    let runtime = side.runtime(krate);
    let at = function.span();
    let (peer, handle) = (local("peer", at), local("handle", at));
    let keep = addr.map(|field| {
        let call = field_call(field, names, ADDR, "keep", Borrow::Mut, quote!(, &#peer));
        quote!(#call?;)
    });
    match side {
        Side::Sync => {
            // Coerced to a fn pointer at the user's path, so a wrong
            // signature is reported there (as rustc's "mismatched types").
            let discover = local("discover", at);
            let call = respan(quote!(#private::discover), at);
            let coerce = quote_spanned! {at=>
                let #discover: fn(&#private::Lookup<'_>, &mut Self) -> #private::Result<_, _> = #function;
            };
            let ready = match hook {
                None => quote!(|#fresh, _: &mut Self| #private::Ok(#fresh)),
                Some(after) => {
                    let run = run_after(after, conn, &runtime, side, fresh, &quote!(#handle));
                    quote!(|mut #fresh, #handle: &mut Self| {
                        #run
                        #private::Ok(#fresh)
                    })
                }
            };
            quote! {
                #coerce
                let (#fresh, #peer) = #call(#failure, #addr_now, self, #discover, #ready)?;
                #keep
            }
        }
        Side::Async => {
            let call = respan(quote!(#runtime::discover::<#conn, Self, _, _, _, _>), at);
            let ready = match hook {
                None => quote!(#runtime::as_is),
                Some(after) => {
                    let run = run_after(after, conn, &runtime, side, fresh, &quote!(#handle));
                    quote!(|mut #fresh, #handle: &mut Self| {
                        #private::std::boxed::Box::pin(async move {
                            #run
                            #private::Ok(#fresh)
                        })
                    })
                }
            };
            let discover = quote_spanned!(at=> #call(#failure, #addr_now, self, #function, #ready));
            quote! {
                let (#fresh, #peer) = #discover.await?;
                #keep
            }
        }
    }
}

/// `after(hook, &mut fresh, handle)?;` (awaited on the async side): the
/// runner checks the hook's signature, spanned at the user's path so that a
/// wrong one is one error there.
fn run_after(
    after: &syn::Path,
    conn: &TokenStream,
    runtime: &TokenStream,
    side: Side,
    fresh: &Ident,
    handle: &TokenStream,
) -> TokenStream {
    let at = after.span();
    let call = respan(quote!(#runtime::after::<#conn, Self, _, _, _, _>), at);
    let then_try = respan(side.then_try(), at);
    quote_spanned!(at=> #call(#after, &mut #fresh, #handle) #then_try;)
}
