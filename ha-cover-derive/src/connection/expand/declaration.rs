//! `impl Declaration`: the connection, handle, markers, policy and recovery as
//! types and functions. Nothing here is sync-only.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::super::value::{Builtin, Mode};
use super::{RecoverBy, Spec, local, policy, respan};

pub fn expand(spec: &Spec<'_>) -> TokenStream {
    let Spec {
        ident,
        private,
        conn,
        handle,
        ..
    } = spec;
    let kind = spec.kind_marker();
    let mode = spec.mode_marker();
    let name = ident.to_string();
    let policy = if spec.stub {
        quote!(#private::Builder::new())
    } else {
        policy::builder(spec)
    };
    // Bindings of the generated functions, named so that a user's unit struct
    // or constant cannot turn them into patterns (hygiene does not cover those).
    let failure = local("__failure", Span::call_site());
    let state = local("__handle", Span::call_site());
    let typed = local("__typed", Span::call_site());
    let recover = if spec.stub {
        quote!(#private::std::unreachable!())
    } else {
        recover_body(spec)
    };
    // The handle's type carries its own span, so "not `Recoverable`" is
    // reported at `handle = ...`.
    quote! {
        #[automatically_derived]
        impl #private::Declaration for #ident {
            type Connection = #conn;
            type Handle = #handle;
            type Kind = #kind;
            type Mode = #mode;

            const NAME: &'static str = #name;

            fn policy() -> #private::Builder {
                #policy
            }

            fn recover(
                #failure: &#private::Failure<'_, #conn>,
                #state: &mut #handle,
            ) -> #private::Result<#conn, #private::AttemptError> {
                #recover
            }

            fn from_typed(#typed: #private::TypedCover<Self>) -> Self {
                Self(#typed)
            }
        }
    }
}

fn recover_body(spec: &Spec<'_>) -> TokenStream {
    let Spec {
        private,
        conn,
        handle,
        ..
    } = spec;
    match spec.recovery() {
        RecoverBy::Builtin(builtin) => {
            let function = match builtin {
                Builtin::Reopen => quote!(recover_reopen),
                Builtin::ReopenSeek => quote!(recover_reopen_seek),
                Builtin::Reconnect => quote!(recover_reconnect),
            };
            // A built-in that does not fit a connection type of the user's is
            // reported at that type.
            let at = spec.conn_span();
            let call = respan(quote!(#private::#function), at);
            let (failure, state) = (local("__failure", at), local("__handle", at));
            quote_spanned!(at=> #call(#failure, #state))
        }
        RecoverBy::Handle(at) => {
            // Spanned at the handle's type: a handle that cannot recover this
            // connection is reported at `handle = ...`.
            let call = respan(quote!(#private::by_handle), at);
            let (failure, state) = (local("__failure", at), local("__handle", at));
            let (conn, handle) = (respan(conn.clone(), at), respan(handle.clone(), at));
            quote_spanned!(at=> #call::<#conn, #handle>(#failure, #state))
        }
        RecoverBy::Function(path) => {
            // Coerced to a fn pointer at the user's path, so a wrong signature is
            // reported there, and its error type checked by a call spanned there.
            let at = path.span();
            let function = local("__function", at);
            let call = respan(quote!(#private::with), at);
            let (failure, state) = (local("__failure", at), local("__handle", at));
            let coerce = quote_spanned! {at=>
                let #function: fn(&#private::Failure<'_, #conn>, &mut #handle) -> #private::Result<#conn, _> = #path;
            };
            quote! {
                #coerce
                #call(#function, #failure, #state)
            }
        }
    }
}

/// Checks of the declaration that only the type system can make.
pub fn checks(spec: &Spec<'_>) -> TokenStream {
    let Spec {
        ident,
        private,
        conn,
        handle,
        ..
    } = spec;
    let mut checks = TokenStream::new();
    let at = spec.conn_span();
    match &spec.kind {
        super::Kind::CustomFile(_) => {
            let check = respan(quote!(#private::check_file_kind), at);
            checks.extend(quote_spanned!(at=> const _: () = #check::<#conn>();));
        }
        super::Kind::CustomSocket(_) => {
            let check = respan(quote!(#private::check_socket_kind), at);
            checks.extend(quote_spanned!(at=> const _: () = #check::<#conn>();));
        }
        _ => {}
    }
    if let (Mode::Append, RecoverBy::Handle(at)) = (spec.mode, spec.recovery()) {
        // A handle whose recovery seeks back would put an append-only file at
        // an offset; its `Recovers` impls tell, by autoref specialization.
        let check = respan(quote!(#private::check_append), at);
        let probe = respan(quote!(#private::StrategyProbe), at);
        let call = quote_spanned! {at=>
            #check::<#ident, #handle, _>((&&&#probe::<#handle>::new()).verdict())
        };
        checks.extend(quote! {
            #[allow(dead_code)]
            fn append_recovery() {
                use #private::{ProbeFine as _, ProbeGeneric as _, ProbeSeeksBack as _};
                #call;
            }
        });
    }
    checks
}
