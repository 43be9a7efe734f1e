//! `impl Declaration` (or `AsyncDeclaration`): the connection, handle,
//! markers, policy and recovery as types and functions. The two forms differ
//! only in the recovery's signature and in where the runtime's items are.

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
    let runtime = spec.runtime();
    let (trait_name, signature) = if spec.asynchronous {
        let life = &spec.generated.life;
        (
            quote!(#runtime::AsyncDeclaration),
            quote! {
                fn recover<#life>(
                    #failure: &#life #runtime::AsyncFailure<#life, #conn>,
                    #state: &#life mut #handle,
                ) -> #runtime::BoxFuture<#life, #private::Result<#conn, #private::AttemptError>>
            },
        )
    } else {
        (
            quote!(#private::Declaration),
            quote! {
                fn recover(
                    #failure: &#private::Failure<'_, #conn>,
                    #state: &mut #handle,
                ) -> #private::Result<#conn, #private::AttemptError>
            },
        )
    };
    let typed_cover = spec.typed_cover();
    // The handle's type carries its own span, so "not `Recoverable`" is
    // reported at `handle = ...`.
    quote! {
        #[automatically_derived]
        impl #trait_name for #ident {
            type Connection = #conn;
            type Handle = #handle;
            type Kind = #kind;
            type Mode = #mode;

            const NAME: &'static str = #name;

            fn policy() -> #private::Builder {
                #policy
            }

            #signature {
                #recover
            }

            fn from_typed(#typed: #typed_cover<Self>) -> Self {
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
    let runtime = spec.runtime();
    let recover = match spec.recovery() {
        RecoverBy::Builtin(builtin) if custom_sync(spec) => {
            // A connection type of the user's: its kind, what the recovery
            // needs and what the mode needs are one bound, at its type.
            let at = spec.conn_span();
            let (function, recovery) = match builtin {
                Builtin::Reopen => (quote!(recover_file), quote!(BuiltinReopen)),
                Builtin::ReopenSeek => (quote!(recover_file), quote!(BuiltinReopenSeek)),
                Builtin::Reconnect => (quote!(recover_socket), quote!(BuiltinReconnect)),
            };
            let call = respan(quote!(#private::#function), at);
            let (kind_is, mode) = (kind_is(spec), spec.mode_marker());
            let (failure, state) = (local("__failure", at), local("__handle", at));
            let recovery = respan(quote!(#private::#recovery), at);
            return quote_spanned!(at=> #call::<#conn, #mode, #recovery, #kind_is, _>(#failure, #state));
        }
        RecoverBy::Builtin(builtin) => {
            let function = match builtin {
                Builtin::Reopen => quote!(recover_reopen),
                Builtin::ReopenSeek => quote!(recover_reopen_seek),
                Builtin::Reconnect => quote!(recover_reconnect),
            };
            // A built-in that does not fit a connection type of the user's is
            // reported at that type: it is given, with its own spans, as the
            // function's type argument, whose bound fails there.
            let at = spec.conn_span();
            let call = respan(quote!(#runtime::#function), at);
            let (failure, state) = (local("__failure", at), local("__handle", at));
            quote_spanned!(at=> #call::<#conn, _>(#failure, #state))
        }
        RecoverBy::Handle(at) => {
            // Spanned at the handle's type: a handle that cannot recover this
            // connection is reported at `handle = ...`.
            let call = respan(quote!(#runtime::by_handle), at);
            let (failure, state) = (local("__failure", at), local("__handle", at));
            let (conn, handle) = (respan(conn.clone(), at), respan(handle.clone(), at));
            quote_spanned!(at=> #call::<#conn, #handle>(#failure, #state))
        }
        RecoverBy::Function(path) => {
            // The runner checks the function's signature through a trait whose
            // message states the one expected; spanned at the user's path, a
            // wrong one is one error there.
            let at = path.span();
            let call = respan(quote!(#runtime::with::<#conn, #handle, _, _, _, _>), at);
            let (failure, state) = (local("__failure", at), local("__handle", at));
            quote_spanned!(at=> #call(#path, #failure, #state))
        }
    };
    if !custom_sync(spec) {
        return recover;
    }
    // A connection type of the user's recovered by a handle or a function of
    // the user's: its kind and what the mode needs, in one bound at its type,
    // in the same body as the recovery, so that a type that is no connection
    // at all is reported once.
    let at = spec.conn_span();
    let check = match spec.kind.is_file() {
        true => quote!(check_file),
        false => quote!(check_socket),
    };
    let check = respan(quote!(#private::#check), at);
    let (kind_is, mode) = (kind_is(spec), spec.mode_marker());
    let check = quote_spanned!(at=> #check::<#conn, #mode, #kind_is>(););
    quote! {
        #check
        #recover
    }
}

/// A sync declaration of a connection type of the user's (`file = T`,
/// `socket = T`), whose kind and capabilities are checked with its recovery.
fn custom_sync(spec: &Spec<'_>) -> bool {
    !spec.asynchronous && !spec.is_std()
}

/// `KindIs<{ is_file::<T>() }>`: the kind of the connection type as a type,
/// spanned at it.
fn kind_is(spec: &Spec<'_>) -> TokenStream {
    let Spec { private, conn, .. } = spec;
    let at = spec.conn_span();
    let kind = respan(quote!(#private::KindIs), at);
    let is_file = respan(quote!(#private::is_file), at);
    quote_spanned!(at=> #kind<{ #is_file::<#conn>() }>)
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
    let runtime = spec.runtime();
    // The async form checks a connection type of the user's here; the sync
    // form with its recovery (see `recover_body`).
    if spec.asynchronous && !spec.is_std() {
        // The word against the type's `KIND`, as a bound on `KindIs<KIND is
        // File>`, so a mismatch is a sentence at the type.
        let function = match spec.kind.is_file() {
            true => quote!(check_file_kind),
            false => quote!(check_socket_kind),
        };
        let function = respan(quote!(#runtime::#function), at);
        let kind = respan(quote!(#runtime::KindIs), at);
        let is_file = respan(quote!(#runtime::is_file), at);
        checks.extend(quote_spanned!(at=>
            const _: () = #function::<#conn, #kind<{ #is_file::<#conn>() }>>();
        ));
        // An async connection always reads and writes; a file one that does
        // not seek is reported here unless the recovery requires it already
        // (`reopen_seek`).
        let recovery_seeks = matches!(spec.recovery(), RecoverBy::Builtin(Builtin::ReopenSeek));
        if spec.kind.is_file() && spec.mode != Mode::Append && !recovery_seeks {
            let function = respan(quote!(#runtime::check_seekable), at);
            checks.extend(quote_spanned!(at=> const _: () = #function::<#conn>();));
        }
    }
    // A handle whose recovery seeks back would put an append-only file at an
    // offset; one that reopens without seeking back would put a sequential
    // writer at offset 0, over the start of its file. The handle's `HandleRecovery`
    // impls tell which it is, by autoref specialization.
    let probed = match (spec.mode, spec.recovery()) {
        (Mode::Append, RecoverBy::Handle(at)) => Some(("check_append", at)),
        (Mode::WriteOnly | Mode::ReadWrite, RecoverBy::Handle(at)) if spec.kind.is_file() => {
            Some(("check_writer", at))
        }
        _ => None,
    };
    if let Some((check, at)) = probed {
        let check = syn::Ident::new(check, Span::call_site());
        let check = respan(quote!(#private::#check), at);
        let (probe, uses) = if spec.asynchronous {
            (
                quote!(#runtime::AsyncStrategyProbe),
                quote!(#runtime::{AsyncProbeFine as _, AsyncProbeGeneric as _, AsyncProbeSeeksBack as _}),
            )
        } else {
            (
                quote!(#private::StrategyProbe),
                quote!(#private::{ProbeFine as _, ProbeGeneric as _, ProbeSeeksBack as _}),
            )
        };
        let probe = respan(probe, at);
        let call = quote_spanned! {at=>
            #check::<#ident, #handle, _>((&&&#probe::<#handle>::new()).verdict())
        };
        checks.extend(quote! {
            #[allow(dead_code)]
            fn recovery_fits_the_mode() {
                use #uses;
                #call;
            }
        });
    }
    checks
}
