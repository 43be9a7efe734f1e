//! `#[ha_connection(...)]`: parse (`attr`, `parse`, `value`, `duration`,
//! `errno`, `ast`), check,
//! expand; on errors, the same expansion with stub functions, so the user sees
//! the attribute's errors and not every use of the type failing besides.
//!
//! Parse and check know nothing of how the type is expanded: the async form
//! (`asynchronous`) gets the same checks, and `expand/asynchronous.rs` is its
//! counterpart of `expand/sync.rs`.

mod ast;
mod attr;
mod check;
mod duration;
mod errno;
mod expand;
pub(crate) mod parse;
mod value;

use proc_macro2::TokenStream;
use syn::ext::IdentExt as _;

use crate::ctxt::Ctxt;
use crate::runtime::Runtime;
use crate::tokens::Names;

/// The attribute's output for `args` on `item`: the declared type, or the errors
/// and a fallback.
pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let cx = Ctxt::new();
    let names = Names::of(quote::quote!(#args #item));
    let options = attr::Options::parse(&cx, args);
    let container = match syn::parse2::<syn::Item>(item.clone()) {
        Ok(parsed) => ast::Container::from_ast(&cx, parsed, options),
        Err(error) => {
            cx.syn_error(error);
            None
        }
    };
    if let Some(container) = &container {
        check::check(&cx, container);
    }
    let krate = container.as_ref().and_then(|c| c.options.krate.get());
    let alias = container.as_ref().map_or_else(
        || "ha_cover_runtime".to_owned(),
        // `r#Struct` would make the alias an invalid identifier.
        |c| format!("ha_cover_runtime_for_{}", c.item.ident.unraw()),
    );
    let runtime = Runtime::find(&cx, krate, names.fresh(&[&alias]));
    let no_runtime = runtime.missing;
    let generated = expand::Generated {
        private: runtime.private,
        import: runtime.import,
        conn: names.fresh(&["C", "Conn", "Connection", "HaConnection"]),
        life: names.lifetime(&["a", "recovery", "ha_recovery"]),
        handle: names.fresh(&["Handle", "HaHandle", "HaCoverHandle"]),
    };
    let errors = match cx.check() {
        Ok(()) => {
            let container = container.expect("no errors, so the input is a struct");
            return expand::expand(&container, &generated);
        }
        Err(errors) => errors,
    };
    let mut output = match &container {
        // The struct as it was: without a runtime to name, the fallback would
        // be errors of its own.
        Some(_) if no_runtime => item,
        Some(container) => expand::fallback(container, &generated),
        // Not a struct: the item as it was, so only the attribute's error shows.
        None => item,
    };
    output.extend(errors.into_compile_error());
    output
}
