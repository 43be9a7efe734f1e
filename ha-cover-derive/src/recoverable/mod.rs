//! `#[derive(Recoverable)]`: parse (`attr`, `ast`), check, expand, and the
//! fallback written when the input has errors.

mod ast;
mod attr;
mod check;
mod expand;
mod fallback;

use proc_macro2::TokenStream;
use syn::DeriveInput;

use crate::ctxt::Ctxt;

/// The derive's output for `input`: the impls, or the errors and a fallback.
pub fn derive(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let container = ast::Container::from_ast(&cx, input);
    if let Some(container) = &container {
        check::check(&cx, container);
    }
    let krate = container.as_ref().and_then(|c| c.attrs.krate.get());
    let names = expand::Generated::new(&cx, input, krate);
    let errors = match cx.check() {
        Ok(()) => {
            let container = container.expect("no errors, so the input is a struct");
            return expand::expand(&container, &names);
        }
        Err(errors) => errors,
    };
    if names.no_runtime {
        return errors.into_compile_error();
    }
    let mut output = fallback::expand(input, &names);
    output.extend(errors.into_compile_error());
    output
}
