//! Where the generated code finds ha-cover's runtime: the dependency as the
//! user's Cargo.toml names it (renamed or not), or the path of `crate = ...`.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};

use crate::ctxt::Ctxt;
use crate::tokens::respan;

/// The runtime's hidden module, named for the version of ha-cover this crate
/// is released with (ha-cover depends on it at exactly that version): code
/// written by this derive does not compile against another ha-cover.
const PRIVATE: &str = concat!(
    "__private_",
    env!("CARGO_PKG_VERSION_MAJOR"),
    "_",
    env!("CARGO_PKG_VERSION_MINOR"),
    "_",
    env!("CARGO_PKG_VERSION_PATCH"),
);

/// The same module under the name looked for behind `crate = path`.
const RUNTIME: &str = concat!(
    "ha_cover_runtime_",
    env!("CARGO_PKG_VERSION_MAJOR"),
    "_",
    env!("CARGO_PKG_VERSION_MINOR"),
    "_",
    env!("CARGO_PKG_VERSION_PATCH"),
);

/// The paths into the runtime's hidden module.
pub struct Runtime {
    /// `::ha_cover::__private_<version>`, `::renamed::__private_<version>`,
    /// or, for `crate = path`, the alias that `import` makes.
    pub private: TokenStream,
    /// For `crate = path`: `use path::ha_cover_runtime_<version> as alias;`,
    /// the same module under a name that makes "could not find
    /// `ha_cover_runtime_0_1_0` in `std`" say what is wrong with a path that
    /// does not lead to ha-cover.
    /// Imported once, a wrong path is one error, at the path: rustc reports
    /// nothing more about the names used through an import that failed.
    pub import: Option<TokenStream>,
    /// The user's Cargo.toml has no ha-cover and no `crate = ...` says where
    /// it is: reported, and no code that names the runtime is written.
    pub missing: bool,
}

impl Runtime {
    /// The runtime for a macro input with `krate` as its `crate = ...`, if any.
    /// Without one, and when the user's Cargo.toml has no `ha-cover`, that is
    /// one error saying to write `crate = ...`.
    pub fn find(cx: &Ctxt, krate: Option<&syn::Path>, alias: syn::Ident) -> Self {
        if let Some(path) = krate {
            let at = path
                .segments
                .last()
                .map_or_else(Span::call_site, |s| s.ident.span());
            // Spanned at the path, where rustc then reports a wrong one.
            let runtime = syn::Ident::new(RUNTIME, Span::call_site());
            let import = respan(quote!(use #path::#runtime as #alias;), at);
            return Runtime {
                import: Some(import),
                missing: false,
                private: alias.into_token_stream(),
            };
        }
        // The snapshot tests expand outside any crate that depends on ha-cover.
        let found = if cfg!(test) {
            Ok(proc_macro_crate::FoundCrate::Itself)
        } else {
            proc_macro_crate::crate_name("ha-cover")
        };
        let mut missing = false;
        let name = match found {
            Ok(proc_macro_crate::FoundCrate::Name(name)) => name,
            // The crate's own code names itself `ha_cover` (its doctests do too).
            Ok(proc_macro_crate::FoundCrate::Itself) => "ha_cover".to_owned(),
            Err(proc_macro_crate::Error::CrateNotFound { .. }) => {
                cx.syn_error(syn::Error::new(
                    Span::call_site(),
                    "this crate's Cargo.toml has no `ha-cover` dependency: add it, or, if ha-cover comes re-exported by another crate, say where with `crate = path::to::ha_cover`",
                ));
                missing = true;
                "ha_cover".to_owned()
            }
            // No Cargo.toml to read (another build system): the usual name.
            Err(_) => "ha_cover".to_owned(),
        };
        let name = syn::Ident::new(&name, Span::call_site());
        let private = syn::Ident::new(PRIVATE, Span::call_site());
        Runtime {
            private: quote!(::#name::#private),
            import: None,
            missing,
        }
    }
}
