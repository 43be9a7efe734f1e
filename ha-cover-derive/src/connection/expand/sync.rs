//! The std side of a declared type: constructors that open and cover, the
//! consuming methods, `Deref` to its `TypedCover`, and the std I/O traits its
//! declaration allows. An async form would write its own counterpart of this
//! file and share the rest.

use proc_macro2::{Span, TokenStream};
use quote::quote;

use super::super::value::{Kind, Mode};
use super::{Spec, local, respan};

pub fn expand(spec: &Spec<'_>) -> TokenStream {
    let ident = spec.ident;
    let constructors = constructors(spec);
    let consuming = consuming(spec);
    let deref = deref(spec);
    let io = io_traits(spec);
    quote! {
        impl #ident {
            #constructors
            #consuming
        }
        #deref
        #io
    }
}

/// The handle parameter and argument of a constructor: none when the
/// declaration names no handle (it is `()`).
fn handle_param(spec: &Spec<'_>) -> (TokenStream, TokenStream) {
    let handle = &spec.handle;
    let name = local("handle", Span::call_site());
    if spec.has_handle {
        (quote!(, #name: #handle), quote!(#name))
    } else {
        (quote!(), quote!(()))
    }
}

fn constructors(spec: &Spec<'_>) -> TokenStream {
    let Spec { private, conn, .. } = spec;
    let vis = &spec.container.item.vis;
    let (param, arg) = handle_param(spec);
    let and_handle = if spec.has_handle {
        ", with the client's handle"
    } else {
        ""
    };
    let io = quote!(#private::std::io);
    let path_type = quote!(impl #private::std::convert::AsRef<#private::std::path::Path>);
    // Named plainly: they are the documented signature.
    let [path, options, addr, connection] =
        ["path", "options", "addr", "connection"].map(|name| local(name, Span::call_site()));
    let mode = spec.mode.symbol();
    let mut out = TokenStream::new();
    match &spec.kind {
        Kind::File => {
            let access = match spec.mode {
                Mode::ReadOnly => "for reading",
                Mode::WriteOnly => "for writing",
                Mode::ReadWrite => "for reading and writing",
                Mode::Append => "for appending",
            };
            let open = format!(
                " Opens the existing file at `path` {access} (`mode = {mode}`) and covers it{and_handle} (QNX's `ha_open`). Recovery follows the declaration."
            );
            let open_with = format!(
                " Opens `path` with `options` and covers it{and_handle}. The options must give the access `mode = {mode}` promises (an error says otherwise); recovery reopens with the same flags but never creates or truncates."
            );
            out.extend(quote! {
                #[doc = #open]
                #vis fn open(#path: #path_type #param) -> #io::Result<Self> {
                    #private::open::<Self>(#path, #arg)
                }

                #[doc = #open_with]
                #vis fn open_with(
                    #path: #path_type,
                    #options: &#private::std::fs::OpenOptions
                    #param
                ) -> #io::Result<Self> {
                    #private::open_with::<Self>(#path, #options, #arg)
                }
            });
            if spec.mode.writes() {
                let empties = if spec.mode == Mode::Append {
                    "creating it if it is missing"
                } else {
                    "creating it, or emptying it if it exists"
                };
                let create = format!(
                    " Opens `path` {access} (`mode = {mode}`), {empties}, and covers it{and_handle} (QNX's `ha_creat`). Recovery never creates or truncates."
                );
                out.extend(quote! {
                    #[doc = #create]
                    #vis fn create(#path: #path_type #param) -> #io::Result<Self> {
                        #private::create::<Self>(#path, #arg)
                    }
                });
            }
        }
        Kind::Unix => {
            let connect = format!(
                " Connects to the Unix socket at `path` and covers the stream{and_handle}. Recovery reconnects to the same path."
            );
            out.extend(quote! {
                #[doc = #connect]
                #vis fn connect(#path: #path_type #param) -> #io::Result<Self> {
                    #private::connect_unix::<Self>(#path, #arg)
                }
            });
        }
        Kind::Tcp => {
            let connect = format!(
                " Connects to `addr` over TCP and covers the stream{and_handle}. Recovery reconnects to the address that accepted this connection."
            );
            out.extend(quote! {
                #[doc = #connect]
                #vis fn connect(#addr: impl #private::std::net::ToSocketAddrs #param) -> #io::Result<Self> {
                    #private::connect_tcp::<Self>(#addr, #arg)
                }
            });
        }
        Kind::CustomFile(_) | Kind::CustomSocket(_) => {}
    }
    let attach = format!(
        " Covers a connection that is already open (QNX's `ha_attach`){and_handle}.{}",
        if spec.kind.is_file() {
            format!(
                " The file must be open with the access `mode = {mode}` promises; an error says otherwise."
            )
        } else {
            String::new()
        }
    );
    out.extend(quote! {
        #[doc = #attach]
        #vis fn attach(#connection: #conn #param) -> #io::Result<Self> {
            #private::attach::<Self>(#connection, #arg)
        }
    });
    out
}

/// Forwarded to `TypedCover`, whose methods need no bound on the handle: one
/// that is not `Recoverable` is reported at `handle = ...`, not here again.
fn consuming(spec: &Spec<'_>) -> TokenStream {
    let Spec {
        private,
        conn,
        handle,
        ..
    } = spec;
    let vis = &spec.container.item.vis;
    quote! {
        /// Stops covering (QNX's `ha_detach`): the connection as it is now.
        #vis fn into_inner(self) -> #conn {
            self.0.into_inner()
        }

        /// Stops covering: the connection, and the handle when this was the last
        /// of its dups.
        #vis fn into_parts(self) -> (#conn, #private::Option<#handle>) {
            self.0.into_parts()
        }

    }
}

fn deref(spec: &Spec<'_>) -> TokenStream {
    let Spec { ident, private, .. } = spec;
    // A binding that a user's unit struct or constant of the same name would
    // turn into a pattern (hygiene does not cover those): an unlikely name.
    let f = local("__f", Span::call_site());
    let target = quote!(#private::TypedCover<#ident>);
    quote! {
        #[automatically_derived]
        impl #private::std::ops::Deref for #ident {
            type Target = #target;
            #[inline]
            fn deref(&self) -> &#target {
                &self.0
            }
        }

        #[automatically_derived]
        impl #private::std::ops::DerefMut for #ident {
            #[inline]
            fn deref_mut(&mut self) -> &mut #target {
                &mut self.0
            }
        }

        #[automatically_derived]
        impl #private::std::fmt::Debug for #ident {
            fn fmt(&self, #f: &mut #private::std::fmt::Formatter<'_>) -> #private::std::fmt::Result {
                #private::std::fmt::Debug::fmt(&self.0, #f)
            }
        }
    }
}

/// `Read` when the mode reads, `Write` when it writes, `Seek` for files that
/// keep a position, `AsFd` for std's connections. Each forwards to the
/// `TypedCover` method of the same name. For a connection type of the user's,
/// each applies only if the connection has the capability: one it lacks is
/// reported once, at its type, by the declaration's checks, rather than again
/// in every method's body.
fn io_traits(spec: &Spec<'_>) -> TokenStream {
    let Spec { ident, private, .. } = spec;
    let io = quote!(#private::std::io);
    // `impl #generics Trait for #ident #condition`.
    let conditional = |bound: TokenStream| {
        if spec.is_std() {
            (quote!(), quote!())
        } else {
            let c = &spec.generated.conn;
            (
                quote!(<#c>),
                quote!(where #ident: #private::Declaration<Connection = #c>, #c: #bound),
            )
        }
    };
    let at = spec.conn_span();
    // Unlikely names, as for `Debug`'s formatter.
    let [buf, bufs, pos] = ["__buf", "__bufs", "__pos"].map(|name| local(name, Span::call_site()));
    // `self.0.method(args)`, spanned at a connection type of the user's; the
    // arguments keep their own (hygienic) spans.
    let call = |method: TokenStream, args: TokenStream| {
        let callee = respan(quote!(self.0.#method), at);
        quote!(#callee(#args))
    };
    let (read, read_vectored) = (
        call(quote!(read), quote!(#buf)),
        call(quote!(read_vectored), quote!(#bufs)),
    );
    let (write, write_vectored, flush) = (
        call(quote!(write), quote!(#buf)),
        call(quote!(write_vectored), quote!(#bufs)),
        call(quote!(flush), quote!()),
    );
    let seek = call(quote!(seek), quote!(#pos));
    let mut out = TokenStream::new();
    if spec.mode.reads() {
        let (generics, condition) = conditional(quote!(#io::Read));
        out.extend(quote! {
            #[automatically_derived]
            impl #generics #io::Read for #ident #condition {
                #[inline]
                fn read(&mut self, #buf: &mut [u8]) -> #io::Result<usize> {
                    #read
                }

                #[inline]
                fn read_vectored(&mut self, #bufs: &mut [#io::IoSliceMut<'_>]) -> #io::Result<usize> {
                    #read_vectored
                }
            }
        });
    }
    if spec.mode.writes() {
        let (generics, condition) = conditional(quote!(#private::WriteConnection));
        out.extend(quote! {
            #[automatically_derived]
            impl #generics #io::Write for #ident #condition {
                #[inline]
                fn write(&mut self, #buf: &[u8]) -> #io::Result<usize> {
                    #write
                }

                #[inline]
                fn write_vectored(&mut self, #bufs: &[#io::IoSlice<'_>]) -> #io::Result<usize> {
                    #write_vectored
                }

                #[inline]
                fn flush(&mut self) -> #io::Result<()> {
                    #flush
                }
            }
        });
    }
    if spec.kind.is_file() && spec.mode != Mode::Append {
        let (generics, condition) = conditional(quote!(#io::Seek));
        out.extend(quote! {
            #[automatically_derived]
            impl #generics #io::Seek for #ident #condition {
                #[inline]
                fn seek(&mut self, #pos: #io::SeekFrom) -> #io::Result<u64> {
                    #seek
                }
            }
        });
    }
    if spec.is_std() {
        let fd = quote!(#private::std::os::fd);
        out.extend(quote! {
            #[automatically_derived]
            impl #fd::AsFd for #ident {
                fn as_fd(&self) -> #fd::BorrowedFd<'_> {
                    #fd::AsFd::as_fd(self.0.get_ref())
                }
            }

            #[automatically_derived]
            impl #fd::AsRawFd for #ident {
                fn as_raw_fd(&self) -> #fd::RawFd {
                    #fd::AsRawFd::as_raw_fd(self.0.get_ref())
                }
            }
        });
    }
    out
}
