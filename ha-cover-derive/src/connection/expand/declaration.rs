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
    match spec.recovery() {
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
        RecoverBy::Function(path) if spec.asynchronous => {
            // An async fn's future has no type to coerce to: the runner's bound
            // checks the signature, with the types given so that a mistake is
            // one error, at the user's path.
            let at = path.span();
            let call = respan(quote!(#runtime::with::<#conn, #handle, _, _>), at);
            let (failure, state) = (local("__failure", at), local("__handle", at));
            quote_spanned!(at=> #call(#path, #failure, #state))
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
    let runtime = spec.runtime();
    let check = |function: &str| {
        let function = syn::Ident::new(function, Span::call_site());
        let check = respan(quote!(#runtime::#function), at);
        quote_spanned!(at=> const _: () = #check::<#conn>();)
    };
    // The word against the type's `KIND`, as a bound on `KindIs<KIND is
    // File>`, so a mismatch is a sentence at the type.
    let kind_check = match &spec.kind {
        super::Kind::CustomFile(_) => Some("check_file_kind"),
        super::Kind::CustomSocket(_) => Some("check_socket_kind"),
        _ => None,
    };
    if let Some(function) = kind_check {
        let function = syn::Ident::new(function, Span::call_site());
        let check = respan(quote!(#runtime::#function), at);
        let kind = respan(quote!(#runtime::KindIs), at);
        let is_file = respan(quote!(#runtime::is_file), at);
        checks.extend(quote_spanned!(at=>
            const _: () = #check::<#conn, #kind<{ #is_file::<#conn>() }>>();
        ));
    }
    if !spec.is_std() {
        // The declared type has an I/O trait (see `io_traits`) only if its
        // connection has the capability; each is required here, once, at the
        // type. An async connection always reads and writes.
        if spec.mode.reads() && !spec.asynchronous {
            checks.extend(check("check_reads"));
        }
        if spec.mode.writes() && !spec.asynchronous {
            checks.extend(check("check_writes"));
        }
        // Unless the recovery requires it already (`reopen_seek`).
        let recovery_seeks = matches!(spec.recovery(), RecoverBy::Builtin(Builtin::ReopenSeek));
        if spec.kind.is_file() && spec.mode != Mode::Append && !recovery_seeks {
            checks.extend(check("check_seekable"));
        }
    }
    // A handle whose recovery seeks back would put an append-only file at an
    // offset; one that reopens without seeking back would put a sequential
    // writer at offset 0, over the start of its file. The handle's `Recovers`
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
