//! What the declaration excludes, written anyway with a bound that cannot hold
//! and says why (see `ha_cover::typed::unavailable`): `create` on a file that
//! does not write, `connect` on a file, and the I/O traits of the other form
//! and of the modes and kinds that lack them. A call or a use is then one
//! error with a sentence about the declaration, where rustc alone would say
//! "no function named `create`" or "`Log: Read` is not satisfied".
//!
//! Each bound is under `for<'x>`: a bound that names no parameter is otherwise
//! checked where it is written, once and whatever the program does, as an
//! error. Only names that a declaration of another kind or mode has are
//! written, so that a function of the user's own of another name is never
//! taken.

use proc_macro2::{Span, TokenStream};
use quote::quote;

use super::super::value::{Kind, Mode};
use super::{Spec, local};

pub fn expand(spec: &Spec<'_>) -> TokenStream {
    let constructors = constructors(spec);
    let io = io_traits(spec);
    let ident = spec.ident;
    quote! {
        impl #ident {
            #constructors
        }
        #io
    }
}

/// `create` on a `file` that does not write, `connect` on a `file`.
fn constructors(spec: &Spec<'_>) -> TokenStream {
    let Spec { private, .. } = spec;
    if !matches!(spec.kind, Kind::File) {
        return TokenStream::new();
    }
    let vis = &spec.container.item.vis;
    let io = quote!(#private::std::io);
    let path_type = quote!(impl #private::std::convert::AsRef<#private::std::path::Path>);
    let [path, addr, handle] =
        ["path", "addr", "handle"].map(|name| local(name, Span::call_site()));
    let handle = spec.has_handle.then(|| {
        let ty = &spec.handle;
        quote!(, #handle: #ty)
    });
    let output = if spec.asynchronous {
        quote!(#private::Excluded<Self>)
    } else {
        quote!(#io::Result<Self>)
    };
    let mode = spec.mode_marker();
    let kind = spec.kind_marker();
    let mut out = TokenStream::new();
    if !spec.mode.writes() {
        out.extend(quote! {
            #[doc(hidden)]
            #[allow(unused_variables)]
            #vis fn create(#path: #path_type #handle) -> #output
            where
                for<'x> #mode: #private::Creates<Self>,
            {
                #private::std::unreachable!()
            }
        });
    }
    out.extend(quote! {
        #[doc(hidden)]
        #[allow(unused_variables)]
        #vis fn connect<A>(#addr: A #handle) -> #output
        where
            for<'x> #kind: #private::Connects<Self>,
        {
            #private::std::unreachable!()
        }
    });
    out
}

/// The I/O traits the declared type lacks, each with the bound that says why.
fn io_traits(spec: &Spec<'_>) -> TokenStream {
    let Spec { ident, private, .. } = spec;
    let io = quote!(#private::std::io);
    let mode = spec.mode_marker();
    let kind = spec.kind_marker();
    let [buf, cx, pos] = ["__buf", "__cx", "__pos"].map(|name| local(name, Span::call_site()));
    let unreachable = quote!(#private::std::unreachable!());
    let blocking = |why: TokenStream, read: bool, write: bool| {
        let mut out = TokenStream::new();
        if read {
            out.extend(quote! {
                #[automatically_derived]
                #[doc(hidden)]
                impl #io::Read for #ident where #why {
                    fn read(&mut self, #buf: &mut [u8]) -> #io::Result<usize> {
                        #unreachable
                    }
                }
            });
        }
        if write {
            out.extend(quote! {
                #[automatically_derived]
                #[doc(hidden)]
                impl #io::Write for #ident where #why {
                    fn write(&mut self, #buf: &[u8]) -> #io::Result<usize> {
                        #unreachable
                    }

                    fn flush(&mut self) -> #io::Result<()> {
                        #unreachable
                    }
                }
            });
        }
        out
    };
    let runtime = quote!(#private::asynchronous);
    let pin = quote!(#runtime::Pin);
    let context = quote!(#runtime::Context<'_>);
    let poll = quote!(#runtime::Poll);
    let asynchronous = |why: TokenStream, read: bool, write: bool| {
        let mut out = TokenStream::new();
        if read {
            out.extend(quote! {
                #[automatically_derived]
                #[doc(hidden)]
                impl #runtime::AsyncRead for #ident where #why {
                    fn poll_read(
                        self: #pin<&mut Self>,
                        #cx: &mut #context,
                        #buf: &mut #runtime::ReadBuf<'_>,
                    ) -> #poll<#io::Result<()>> {
                        #unreachable
                    }
                }
            });
        }
        if write {
            out.extend(quote! {
                #[automatically_derived]
                #[doc(hidden)]
                impl #runtime::AsyncWrite for #ident where #why {
                    fn poll_write(
                        self: #pin<&mut Self>,
                        #cx: &mut #context,
                        #buf: &[u8],
                    ) -> #poll<#io::Result<usize>> {
                        #unreachable
                    }

                    fn poll_flush(self: #pin<&mut Self>, #cx: &mut #context) -> #poll<#io::Result<()>> {
                        #unreachable
                    }

                    fn poll_shutdown(self: #pin<&mut Self>, #cx: &mut #context) -> #poll<#io::Result<()>> {
                        #unreachable
                    }
                }
            });
        }
        out
    };
    let reads = spec.mode.reads();
    let writes = spec.mode.writes();
    let seeks = spec.kind.is_file() && spec.mode != Mode::Append;
    // Why a seek is excluded: a socket, or a file that only appends.
    let no_seek = match (spec.kind.is_file(), spec.asynchronous) {
        (true, _) => quote!(for<'x> #mode: #private::HasPosition<#ident>),
        (false, false) => quote!(for<'x> #kind: #private::Seeks<#ident>),
        (false, true) => quote!(for<'x> #kind: #runtime::AsyncSeeks<#ident>),
    };
    let mut out = TokenStream::new();
    let (own, other) = if spec.asynchronous {
        // The mode's own exclusions, in tokio's traits.
        out.extend(asynchronous(
            quote!(for<'x> #mode: #private::Reads<#ident>),
            !reads,
            false,
        ));
        out.extend(asynchronous(
            quote!(for<'x> #mode: #private::Writes<#ident>),
            false,
            !writes,
        ));
        if !seeks {
            out.extend(quote! {
                #[automatically_derived]
                #[doc(hidden)]
                impl #runtime::AsyncSeek for #ident where #no_seek {
                    fn start_seek(self: #pin<&mut Self>, #pos: #io::SeekFrom) -> #io::Result<()> {
                        #unreachable
                    }

                    fn poll_complete(self: #pin<&mut Self>, #cx: &mut #context) -> #poll<#io::Result<u64>> {
                        #unreachable
                    }
                }
            });
        }
        // std's traits, which an async cover has none of.
        let other = blocking(
            quote!(for<'x> #kind: #private::Blocking<#ident>),
            true,
            true,
        );
        (out, other)
    } else {
        out.extend(blocking(
            quote!(for<'x> #mode: #private::Reads<#ident>),
            !reads,
            false,
        ));
        out.extend(blocking(
            quote!(for<'x> #mode: #private::Writes<#ident>),
            false,
            !writes,
        ));
        if !seeks {
            out.extend(quote! {
                #[automatically_derived]
                #[doc(hidden)]
                impl #io::Seek for #ident where #no_seek {
                    fn seek(&mut self, #pos: #io::SeekFrom) -> #io::Result<u64> {
                        #unreachable
                    }
                }
            });
        }
        // tokio's traits, which a blocking cover has none of; they exist
        // only with ha-cover's `tokio` feature.
        let other = asynchronous(
            quote!(for<'x> #kind: #private::Asynchronous<#ident>),
            true,
            true,
        );
        let other = quote!(#private::if_tokio! { #other });
        (out, other)
    };
    quote!(#own #other)
}
