//! The async side of a declared type (`asynchronous`): constructors that open
//! and cover as futures, the consuming methods, `Deref` to its
//! `AsyncTypedCover`, and tokio's I/O traits its declaration allows. The
//! counterpart of `sync.rs`; the declaration impl and the checks are shared.

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
    let runtime = spec.runtime();
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
                " Opens the existing file at `path` {access} (`mode = {mode}`) as an async `ha_cover::asynchronous::File` and covers it{and_handle} (QNX's `ha_open`). Recovery follows the declaration."
            );
            let open_with = format!(
                " Opens `path` with `options` as an async `ha_cover::asynchronous::File` and covers it{and_handle}. The options must give the access `mode = {mode}` promises (an error says otherwise); recovery reopens with the same flags but never creates or truncates."
            );
            out.extend(quote! {
                #[doc = #open]
                #vis async fn open(#path: #path_type #param) -> #io::Result<Self> {
                    #runtime::open::<Self>(#path, #arg).await
                }

                #[doc = #open_with]
                #vis async fn open_with(
                    #path: #path_type,
                    #options: &#private::std::fs::OpenOptions
                    #param
                ) -> #io::Result<Self> {
                    #runtime::open_with::<Self>(#path, #options, #arg).await
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
                    #vis async fn create(#path: #path_type #param) -> #io::Result<Self> {
                        #runtime::create::<Self>(#path, #arg).await
                    }
                });
            }
        }
        Kind::Unix => {
            let connect = format!(
                " Connects to the Unix socket at `path` and covers the tokio stream{and_handle}. Recovery reconnects to the same path."
            );
            out.extend(quote! {
                #[doc = #connect]
                #vis async fn connect(#path: #path_type #param) -> #io::Result<Self> {
                    #runtime::connect_unix::<Self>(#path, #arg).await
                }
            });
        }
        Kind::Tcp => {
            let connect = format!(
                " Connects to `addr` over TCP and covers the tokio stream{and_handle}. Recovery reconnects to the address that accepted this connection."
            );
            out.extend(quote! {
                #[doc = #connect]
                #vis async fn connect(#addr: impl #runtime::ToSocketAddrs #param) -> #io::Result<Self> {
                    #runtime::connect_tcp::<Self>(#addr, #arg).await
                }
            });
        }
        Kind::CustomFile(_) | Kind::CustomSocket(_) => {}
    }
    let attach = format!(
        " Covers an async connection that is already open (QNX's `ha_attach`){and_handle}.{}",
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
            #runtime::attach::<Self>(#connection, #arg)
        }
    });
    out
}

/// Forwarded to `AsyncTypedCover`, whose consuming methods `Deref` cannot
/// reach.
fn consuming(spec: &Spec<'_>) -> TokenStream {
    let Spec {
        private,
        conn,
        handle,
        ..
    } = spec;
    let vis = &spec.container.item.vis;
    // The untyped cover's type and the call that returns it, spanned at a
    // connection type of the user's: one which is not an `AsyncConnection` is
    // reported there (once: the two errors are the same) rather than at the
    // whole attribute.
    let at = spec.conn_span();
    let cover = respan(quote!(#private::asynchronous::AsyncCover), at);
    let (open, close) = (respan(quote!(<), at), respan(quote!(>), at));
    let into_cover = respan(quote!(self.0.into_cover()), at);
    quote! {
        /// Stops covering (QNX's `ha_detach`): the connection as it is now.
        #vis fn into_inner(self) -> #conn {
            self.0.into_inner()
        }

        /// Stops checking the declaration: the untyped async cover, still
        /// covering.
        #vis fn into_cover(self) -> #cover #open #conn, #handle #close {
            #into_cover
        }

        /// Stops covering: the connection, and the handle when this was the last
        /// of its dups (a recovery task still running keeps it).
        #vis fn into_parts(self) -> (#conn, #private::Option<#handle>) {
            self.0.into_parts()
        }
    }
}

fn deref(spec: &Spec<'_>) -> TokenStream {
    let Spec { ident, private, .. } = spec;
    let f = local("__f", Span::call_site());
    let typed_cover = spec.typed_cover();
    let target = quote!(#typed_cover<#ident>);
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

/// tokio's `AsyncRead` when the mode reads, `AsyncWrite` when it writes,
/// `AsyncSeek` for files that keep a position, `AsFd` for the built-in
/// connections. Each forwards to the `AsyncTypedCover`'s, which its
/// declaration allows; for a connection type of the user's, a capability it
/// lacks is reported at its type in the declaration.
fn io_traits(spec: &Spec<'_>) -> TokenStream {
    let Spec { ident, private, .. } = spec;
    let runtime = spec.runtime();
    let io = quote!(#private::std::io);
    let at = spec.conn_span();
    let [cx, buf, pos] = ["__cx", "__buf", "__pos"].map(|name| local(name, Span::call_site()));
    let pin = quote!(#runtime::Pin);
    let context = quote!(#runtime::Context<'_>);
    let poll = quote!(#runtime::Poll);
    // `Trait::method(Pin::new(&mut self.get_mut().0), args)`, spanned at a
    // connection type of the user's; the arguments keep their own spans.
    let call = |method: TokenStream, args: TokenStream| {
        let callee = respan(method, at);
        quote!(#callee(#pin::new(&mut self.get_mut().0), #args))
    };
    let mut out = TokenStream::new();
    if spec.mode.reads() {
        let read = call(quote!(#runtime::AsyncRead::poll_read), quote!(#cx, #buf));
        out.extend(quote! {
            #[automatically_derived]
            impl #runtime::AsyncRead for #ident {
                #[inline]
                fn poll_read(
                    self: #pin<&mut Self>,
                    #cx: &mut #context,
                    #buf: &mut #runtime::ReadBuf<'_>,
                ) -> #poll<#io::Result<()>> {
                    #read
                }
            }
        });
    }
    if spec.mode.writes() {
        let write = call(quote!(#runtime::AsyncWrite::poll_write), quote!(#cx, #buf));
        let flush = call(quote!(#runtime::AsyncWrite::poll_flush), quote!(#cx));
        let shutdown = call(quote!(#runtime::AsyncWrite::poll_shutdown), quote!(#cx));
        out.extend(quote! {
            #[automatically_derived]
            impl #runtime::AsyncWrite for #ident {
                #[inline]
                fn poll_write(
                    self: #pin<&mut Self>,
                    #cx: &mut #context,
                    #buf: &[u8],
                ) -> #poll<#io::Result<usize>> {
                    #write
                }

                #[inline]
                fn poll_flush(self: #pin<&mut Self>, #cx: &mut #context) -> #poll<#io::Result<()>> {
                    #flush
                }

                #[inline]
                fn poll_shutdown(self: #pin<&mut Self>, #cx: &mut #context) -> #poll<#io::Result<()>> {
                    #shutdown
                }
            }
        });
    }
    if spec.kind.is_file() && spec.mode != Mode::Append {
        let start = call(quote!(#runtime::AsyncSeek::start_seek), quote!(#pos));
        let complete = call(quote!(#runtime::AsyncSeek::poll_complete), quote!(#cx));
        // A connection type of the user's that cannot seek is reported once,
        // by the declaration's checks; this impl then does not apply, rather
        // than failing a second time in its body.
        let (generics, condition) = if spec.is_std() {
            (quote!(), quote!())
        } else {
            let c = &spec.generated.conn;
            (
                quote!(<#c>),
                quote! {
                    where #ident: #runtime::AsyncDeclaration<Connection = #c>,
                        #c: #runtime::AsyncSeekConnection
                },
            )
        };
        out.extend(quote! {
            #[automatically_derived]
            impl #generics #runtime::AsyncSeek for #ident #condition {
                #[inline]
                fn start_seek(self: #pin<&mut Self>, #pos: #io::SeekFrom) -> #io::Result<()> {
                    #start
                }

                #[inline]
                fn poll_complete(self: #pin<&mut Self>, #cx: &mut #context) -> #poll<#io::Result<u64>> {
                    #complete
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
