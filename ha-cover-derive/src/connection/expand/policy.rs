//! The declared policy as a `Builder` expression, in the order the keys are
//! documented.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::super::value::{Backoff, Deadline, WritePolicy};
use super::Spec;

pub fn builder(spec: &Spec<'_>) -> TokenStream {
    let options = &spec.container.options;
    let private = &spec.private;
    let duration = quote!(#private::Duration);
    let mut calls = TokenStream::new();
    if let Some(count) = options.attempts.get() {
        let lit = &count.lit;
        calls.extend(quote!(.attempts(#lit)));
    }
    if let Some(count) = options.total.get() {
        let lit = &count.lit;
        calls.extend(quote!(.total(#lit)));
    }
    match options.backoff.get() {
        None => {}
        Some(Backoff::None(word)) => {
            calls.extend(quote_spanned!(word.span()=> .backoff(#private::Backoff::none())));
        }
        Some(Backoff::Fixed(step)) => {
            let step = step.expr(&duration);
            calls.extend(quote!(.backoff(#private::Backoff::fixed(#step))));
        }
        Some(Backoff::Exponential { initial, cap }) => {
            let (initial, cap) = (initial.expr(&duration), cap.expr(&duration));
            calls.extend(quote!(.backoff(#private::Backoff::exponential(#initial, #cap))));
        }
    }
    match options.deadline.get() {
        None => {}
        Some(Deadline::None(word)) => calls.extend(quote_spanned!(word.span()=> .no_deadline())),
        Some(Deadline::After(deadline)) => {
            let deadline = deadline.expr(&duration);
            calls.extend(quote!(.deadline(#deadline)));
        }
    }
    if let Some(triggers) = options.recover_on.get() {
        let base = match (&triggers.default, spec.kind.is_file()) {
            (None, _) => quote!(none),
            (Some(_), true) => quote!(files),
            (Some(_), false) => quote!(sockets),
        };
        // Each name is a path into `libc`, spanned at the name: one libc lacks on
        // the target is reported there.
        let errnos = triggers
            .errnos
            .iter()
            .map(|name| quote_spanned!(name.span()=> .with(#private::libc::#name)));
        calls.extend(quote!(.triggers(#private::Triggers::#base() #(#errnos)*)));
    }
    if let Some(eof) = options.eof_is_failure.get() {
        calls.extend(quote!(.eof_is_failure(#eof)));
    }
    if let Some(policy) = options.write_policy.get() {
        let variant = match policy.value {
            WritePolicy::Never => quote!(Never),
            WritePolicy::Always => quote!(Always),
            WritePolicy::Replay => quote!(Replay),
        };
        calls.extend(quote!(.write_policy(#private::WritePolicy::#variant)));
    }
    if let Some(name) = options.name.get() {
        calls.extend(quote!(.name(#name)));
    }
    quote!(#private::Builder::new() #calls)
}
