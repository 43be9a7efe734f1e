//! An accumulator of errors, so that a struct with three mistakes shows three
//! errors in one build instead of one per build.

use std::cell::RefCell;
use std::fmt::Display;
use std::thread;

use quote::ToTokens;

/// Errors found while parsing and checking one macro input. It must be
/// [`check`](Ctxt::check)ed: dropped unchecked, it panics, as serde's does, so
/// that a code path that forgets to report its errors fails the tests.
pub struct Ctxt {
    /// `None` once checked.
    errors: RefCell<Option<Vec<syn::Error>>>,
}

impl Ctxt {
    pub fn new() -> Self {
        Ctxt {
            errors: RefCell::new(Some(Vec::new())),
        }
    }

    /// Records an error spanning `tokens`: the whole of them, so rustc underlines
    /// a path or a type entirely, not its first token.
    pub fn error_spanned_by(&self, tokens: impl ToTokens, message: impl Display) {
        self.syn_error(syn::Error::new_spanned(tokens.into_token_stream(), message));
    }

    /// Records an error syn reported.
    pub fn syn_error(&self, error: syn::Error) {
        self.errors
            .borrow_mut()
            .as_mut()
            .expect("errors recorded after the context was checked")
            .push(error);
    }

    /// All the errors as one, or `Ok` when there were none.
    pub fn check(self) -> syn::Result<()> {
        let errors = self.errors.borrow_mut().take().expect("checked once");
        let mut errors = errors.into_iter();
        let Some(mut combined) = errors.next() else {
            return Ok(());
        };
        for error in errors {
            combined.combine(error);
        }
        Err(combined)
    }
}

impl Drop for Ctxt {
    fn drop(&mut self) {
        if !thread::panicking() && self.errors.borrow().is_some() {
            panic!("a macro's errors were never checked: call `Ctxt::check`");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Ctxt;

    #[test]
    #[should_panic(expected = "never checked")]
    fn an_unchecked_context_panics() {
        let cx = Ctxt::new();
        cx.error_spanned_by(quote::quote!(x), "lost");
    }

    #[test]
    fn a_checked_context_gives_its_errors() {
        let cx = Ctxt::new();
        cx.error_spanned_by(quote::quote!(x), "first");
        cx.error_spanned_by(quote::quote!(y), "second");
        let errors = cx.check().unwrap_err();
        assert_eq!(errors.into_iter().count(), 2);
    }
}
