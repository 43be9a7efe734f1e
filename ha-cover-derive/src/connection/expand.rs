//! The code written for a checked declaration: the newtype, its declaration
//! impl (`Declaration`, or `AsyncDeclaration` for `asynchronous`, written by
//! the same code), and the surface of its form: `sync.rs` (constructors, std
//! I/O traits) or `asynchronous.rs` (async constructors, tokio's I/O traits).

mod asynchronous;
mod declaration;
mod excluded;
mod policy;
mod sync;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::Ident;
use syn::spanned::Spanned;

use super::ast::Container;
use super::value::{Builtin, Kind, Mode, Recovery};
pub use crate::tokens::{local, respan};

/// The names the generated code introduces or goes through, none of which
/// can be a name of the user's.
pub struct Generated {
    /// The runtime's hidden module.
    pub private: TokenStream,
    /// For `crate = path`, the import that makes `private` a name, beside the
    /// struct (whose field names the runtime), so that a wrong path is one
    /// error (see `runtime.rs`).
    pub import: Option<TokenStream>,
    /// A type parameter for the connection, where an impl needs one.
    pub conn: Ident,
    /// The lifetime of an async recovery's future.
    pub life: syn::Lifetime,
    /// An alias of the declared handle type, which the generated code names
    /// instead of the type: a type that is wrong where it is written (a
    /// generic one without its arguments) is then one error, at the alias,
    /// not one at every constructor. rustdoc shows the type itself.
    pub handle: Ident,
}

/// What the expansion of one declaration needs, resolved from the options.
pub struct Spec<'a> {
    pub container: &'a Container,
    pub ident: &'a Ident,
    /// The runtime's hidden module (see `runtime.rs`).
    pub private: TokenStream,
    /// The names the generated code introduces.
    pub generated: &'a Generated,
    pub kind: Kind,
    pub mode: Mode,
    /// The connection type.
    pub conn: TokenStream,
    /// The handle type: the declared one, or `()`.
    pub handle: TokenStream,
    /// Whether the declaration names a handle, which the constructors then take.
    pub has_handle: bool,
    /// Whether the input had errors: the declaration's functions are stubs.
    pub stub: bool,
    /// `asynchronous`: the async form, over an `AsyncCover`.
    pub asynchronous: bool,
}

impl<'a> Spec<'a> {
    pub fn new(container: &'a Container, generated: &'a Generated, stub: bool) -> Self {
        let options = &container.options;
        let private = generated.private.clone();
        let kind = container.kind();
        let asynchronous = options.asynchronous.get().is_some();
        let conn = match (&kind, asynchronous) {
            (Kind::File, false) => quote!(#private::std::fs::File),
            (Kind::Unix, false) => quote!(#private::std::os::unix::net::UnixStream),
            (Kind::Tcp, false) => quote!(#private::std::net::TcpStream),
            (Kind::File, true) => quote!(#private::asynchronous::File),
            (Kind::Unix, true) => quote!(#private::asynchronous::UnixStream),
            (Kind::Tcp, true) => quote!(#private::asynchronous::TcpStream),
            (Kind::CustomFile(ty) | Kind::CustomSocket(ty), _) => ty.to_token_stream(),
        };
        let handle = match options.handle.get() {
            // A reference was reported (`check.rs`); the stub owns the type.
            Some(syn::Type::Reference(reference)) if stub => reference.elem.to_token_stream(),
            // Spanned at the type, where errors about the handle belong.
            Some(ty) => {
                let mut alias = generated.handle.clone();
                alias.set_span(ty.span());
                alias.to_token_stream()
            }
            None => quote!(()),
        };
        Spec {
            container,
            ident: &container.item.ident,
            private,
            generated,
            mode: container.mode(),
            kind,
            conn,
            handle,
            has_handle: options.handle.get().is_some(),
            stub,
            asynchronous,
        }
    }

    /// Where the runtime items of the declaration's form are: the typed cover,
    /// the constructors, the built-in recoveries, `by_handle`, `with`.
    pub fn runtime(&self) -> TokenStream {
        self.runtime_in(&self.private)
    }

    fn runtime_in(&self, private: &TokenStream) -> TokenStream {
        if self.asynchronous {
            quote!(#private::asynchronous)
        } else {
            private.clone()
        }
    }

    /// The typed cover the declared type wraps.
    pub fn typed_cover(&self) -> TokenStream {
        self.typed_cover_in(&self.private)
    }

    fn typed_cover_in(&self, private: &TokenStream) -> TokenStream {
        let runtime = self.runtime_in(private);
        if self.asynchronous {
            quote!(#runtime::AsyncTypedCover)
        } else {
            quote!(#runtime::TypedCover)
        }
    }

    /// The recovery the declaration makes: `recovery = ...`, else the handle's,
    /// else the kind's default.
    pub fn recovery(&self) -> RecoverBy<'a> {
        let options = &self.container.options;
        match options.recovery.get() {
            Some(Recovery::Builtin(builtin)) => RecoverBy::Builtin(builtin.value),
            Some(Recovery::Function(path)) => RecoverBy::Function(path),
            None if options.handle.get().is_some() => {
                RecoverBy::Handle(options.handle.get().expect("checked").span())
            }
            None if !self.kind.is_file() => RecoverBy::Builtin(Builtin::Reconnect),
            None if self.mode == Mode::Append => RecoverBy::Builtin(Builtin::Reopen),
            None => RecoverBy::Builtin(Builtin::ReopenSeek),
        }
    }

    /// The kind marker type.
    pub fn kind_marker(&self) -> TokenStream {
        let private = &self.private;
        let word = Ident::new(self.kind.word().as_str(), Span::call_site());
        quote!(#private::kind::#word)
    }

    /// The mode marker type.
    pub fn mode_marker(&self) -> TokenStream {
        let private = &self.private;
        let word = Ident::new(self.mode.symbol().as_str(), Span::call_site());
        quote!(#private::mode::#word)
    }

    /// Whether the connection is one of std's, whose capabilities are known.
    pub fn is_std(&self) -> bool {
        matches!(self.kind, Kind::File | Kind::Unix | Kind::Tcp)
    }

    /// Where errors about the connection type belong: the type of `file = T`
    /// or `socket = T`, else the attribute.
    pub fn conn_span(&self) -> Span {
        match &self.kind {
            Kind::CustomFile(ty) | Kind::CustomSocket(ty) => ty.span(),
            _ => Span::call_site(),
        }
    }
}

/// How the declared type recovers.
pub enum RecoverBy<'a> {
    Builtin(Builtin),
    Function(&'a syn::Path),
    /// `ha_cover::by_handle`; the span of the handle type, for errors.
    Handle(Span),
}

/// The declared type and everything implemented for it.
pub fn expand(container: &Container, generated: &Generated) -> TokenStream {
    write(&Spec::new(container, generated, false))
}

/// The same, with stub functions, for a declaration with errors: the type and
/// its methods exist, so its uses compile and the user sees only the errors.
pub fn fallback(container: &Container, generated: &Generated) -> TokenStream {
    write(&Spec::new(container, generated, true))
}

fn write(spec: &Spec<'_>) -> TokenStream {
    let item = newtype(spec);
    let declaration = declaration::expand(spec);
    let checks = if spec.stub {
        None
    } else {
        Some(declaration::checks(spec))
    };
    let surface = if spec.asynchronous {
        asynchronous::expand(spec)
    } else {
        sync::expand(spec)
    };
    let excluded = excluded::expand(spec);
    let alias = spec
        .container
        .options
        .handle
        .get()
        .filter(|_| !spec.stub)
        .map(|ty| {
            let alias = &spec.handle;
            quote!(type #alias = #ty;)
        });
    let items = quote! {
        #alias
        #declaration
        #checks
        #surface
        #excluded
    };
    let import = &spec.generated.import;
    let output = quote! {
        #item
        #[doc(hidden)]
        #[allow(unused_qualifications)]
        const _: () = {
            #items
        };
    };
    if !spec.asynchronous {
        return quote!(#import #output);
    }
    // Without ha-cover's `tokio` feature, one error at `asynchronous` instead
    // of every name the async form uses being missing.
    let private = &spec.private;
    let key = spec
        .container
        .options
        .asynchronous
        .key()
        .map_or_else(Span::call_site, Ident::span);
    let require = respan(quote!(#private::require_tokio!), key);
    let require = quote_spanned!(key=> #require("asynchronous"););
    quote! {
        #import
        #require
        #private::if_tokio! {
            #output
        }
    }
}

/// `struct Name(TypedCover<Name>);` (or `AsyncTypedCover`), with the user's attributes and a line of
/// documentation about the declaration.
fn newtype(spec: &Spec<'_>) -> TokenStream {
    let item = &spec.container.item;
    // A derive, or a second `#[ha_connection]`, was reported (`ast.rs`);
    // kept, it would fail again on the generated struct.
    let attrs: Vec<_> = item
        .attrs
        .iter()
        .filter(|attr| !attr.path().is_ident("derive") && !super::ast::is_ha_connection(attr))
        .collect();
    let vis = &item.vis;
    let ident = spec.ident;
    let struct_token = item.struct_token;
    let typed_cover = spec.typed_cover();
    let summary = if spec.asynchronous {
        format!(
            " An async typed cover declared `#[ha_connection({}, asynchronous, mode = {}, ...)]`: it derefs to `ha_cover::typed::AsyncTypedCover`, where its methods are.",
            spec.kind.word(),
            spec.mode.symbol(),
        )
    } else {
        format!(
            " A typed cover declared `#[ha_connection({}, mode = {}, ...)]`: it derefs to `ha_cover::typed::TypedCover`, where its methods are.",
            spec.kind.word(),
            spec.mode.symbol(),
        )
    };
    let doc = if attrs.iter().any(|a| a.path().is_ident("doc")) {
        quote!(#[doc = ""] #[doc = #summary])
    } else {
        quote!(#[doc = #summary])
    };
    let semi = quote_spanned!(item.ident.span()=> ;);
    quote! {
        #(#attrs)*
        #doc
        #vis #struct_token #ident(#typed_cover<#ident>) #semi
    }
}
