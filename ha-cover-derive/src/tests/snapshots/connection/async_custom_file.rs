::ha_cover::__private_0_1_0::require_tokio!("asynchronous");
::ha_cover::__private_0_1_0::if_tokio! {
    /// An async typed cover declared `#[ha_connection(file, asynchronous, mode = read_write, ...)]`: it derefs to `ha_cover::typed::AsyncTypedCover`, where its methods are.
    struct Counted(::ha_cover::__private_0_1_0::asynchronous::AsyncTypedCover<Counted>);
    #[doc(hidden)]
    #[allow(unused_qualifications)]
    const _: () = {
        #[automatically_derived]
        impl ::ha_cover::__private_0_1_0::asynchronous::AsyncDeclaration for Counted {
            type Connection = my::Counted;
            type Handle = ();
            type Kind = ::ha_cover::__private_0_1_0::kind::file;
            type Mode = ::ha_cover::__private_0_1_0::mode::read_write;
            const NAME: &'static str = "Counted";
            fn policy() -> ::ha_cover::__private_0_1_0::Builder {
                ::ha_cover::__private_0_1_0::Builder::new()
            }
            fn recover<'a>(
                __failure: &'a ::ha_cover::__private_0_1_0::asynchronous::AsyncFailure<
                    'a,
                    my::Counted,
                >,
                __handle: &'a mut (),
            ) -> ::ha_cover::__private_0_1_0::asynchronous::BoxFuture<
                'a,
                ::ha_cover::__private_0_1_0::Result<
                    my::Counted,
                    ::ha_cover::__private_0_1_0::AttemptError,
                >,
            > {
                ::ha_cover::__private_0_1_0::asynchronous::recover_reopen_seek::<
                    my::Counted,
                    _,
                >(__failure, __handle)
            }
            fn from_typed(
                __typed: ::ha_cover::__private_0_1_0::asynchronous::AsyncTypedCover<Self>,
            ) -> Self {
                Self(__typed)
            }
        }
        const _: () = ::ha_cover::__private_0_1_0::asynchronous::check_file_kind::<
            my::Counted,
            ::ha_cover::__private_0_1_0::asynchronous::KindIs<
                { ::ha_cover::__private_0_1_0::asynchronous::is_file::<my::Counted>() },
            >,
        >();
        impl Counted {
            /// Covers an async connection that is already open (QNX's `ha_attach`). The file must be open with the access `mode = read_write` promises; an error says otherwise.
            fn attach(
                connection: my::Counted,
            ) -> ::ha_cover::__private_0_1_0::std::io::Result<Self> {
                ::ha_cover::__private_0_1_0::asynchronous::attach::<Self>(connection, ())
            }
            /// Stops covering (QNX's `ha_detach`): the connection as it is now.
            fn into_inner(self) -> my::Counted {
                self.0.into_inner()
            }
            /// Stops checking the declaration: the untyped async cover, still
            /// covering.
            fn into_cover(
                self,
            ) -> ::ha_cover::__private_0_1_0::asynchronous::AsyncCover<my::Counted, ()> {
                self.0.into_cover()
            }
            /// Stops covering: the connection, and the handle when this was the last
            /// of its dups (a recovery task still running keeps it).
            fn into_parts(self) -> (my::Counted, ::ha_cover::__private_0_1_0::Option<()>) {
                self.0.into_parts()
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private_0_1_0::std::ops::Deref for Counted {
            type Target = ::ha_cover::__private_0_1_0::asynchronous::AsyncTypedCover<
                Counted,
            >;
            #[inline]
            fn deref(
                &self,
            ) -> &::ha_cover::__private_0_1_0::asynchronous::AsyncTypedCover<Counted> {
                &self.0
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private_0_1_0::std::ops::DerefMut for Counted {
            #[inline]
            fn deref_mut(
                &mut self,
            ) -> &mut ::ha_cover::__private_0_1_0::asynchronous::AsyncTypedCover<Counted> {
                &mut self.0
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private_0_1_0::std::fmt::Debug for Counted {
            fn fmt(
                &self,
                __f: &mut ::ha_cover::__private_0_1_0::std::fmt::Formatter<'_>,
            ) -> ::ha_cover::__private_0_1_0::std::fmt::Result {
                ::ha_cover::__private_0_1_0::std::fmt::Debug::fmt(&self.0, __f)
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private_0_1_0::asynchronous::AsyncRead for Counted {
            #[inline]
            fn poll_read(
                self: ::ha_cover::__private_0_1_0::asynchronous::Pin<&mut Self>,
                __cx: &mut ::ha_cover::__private_0_1_0::asynchronous::Context<'_>,
                __buf: &mut ::ha_cover::__private_0_1_0::asynchronous::ReadBuf<'_>,
            ) -> ::ha_cover::__private_0_1_0::asynchronous::Poll<
                ::ha_cover::__private_0_1_0::std::io::Result<()>,
            > {
                ::ha_cover::__private_0_1_0::asynchronous::AsyncRead::poll_read(
                    ::ha_cover::__private_0_1_0::asynchronous::Pin::new(
                        &mut self.get_mut().0,
                    ),
                    __cx,
                    __buf,
                )
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private_0_1_0::asynchronous::AsyncWrite for Counted {
            #[inline]
            fn poll_write(
                self: ::ha_cover::__private_0_1_0::asynchronous::Pin<&mut Self>,
                __cx: &mut ::ha_cover::__private_0_1_0::asynchronous::Context<'_>,
                __buf: &[u8],
            ) -> ::ha_cover::__private_0_1_0::asynchronous::Poll<
                ::ha_cover::__private_0_1_0::std::io::Result<usize>,
            > {
                ::ha_cover::__private_0_1_0::asynchronous::AsyncWrite::poll_write(
                    ::ha_cover::__private_0_1_0::asynchronous::Pin::new(
                        &mut self.get_mut().0,
                    ),
                    __cx,
                    __buf,
                )
            }
            #[inline]
            fn poll_flush(
                self: ::ha_cover::__private_0_1_0::asynchronous::Pin<&mut Self>,
                __cx: &mut ::ha_cover::__private_0_1_0::asynchronous::Context<'_>,
            ) -> ::ha_cover::__private_0_1_0::asynchronous::Poll<
                ::ha_cover::__private_0_1_0::std::io::Result<()>,
            > {
                ::ha_cover::__private_0_1_0::asynchronous::AsyncWrite::poll_flush(
                    ::ha_cover::__private_0_1_0::asynchronous::Pin::new(
                        &mut self.get_mut().0,
                    ),
                    __cx,
                )
            }
            #[inline]
            fn poll_shutdown(
                self: ::ha_cover::__private_0_1_0::asynchronous::Pin<&mut Self>,
                __cx: &mut ::ha_cover::__private_0_1_0::asynchronous::Context<'_>,
            ) -> ::ha_cover::__private_0_1_0::asynchronous::Poll<
                ::ha_cover::__private_0_1_0::std::io::Result<()>,
            > {
                ::ha_cover::__private_0_1_0::asynchronous::AsyncWrite::poll_shutdown(
                    ::ha_cover::__private_0_1_0::asynchronous::Pin::new(
                        &mut self.get_mut().0,
                    ),
                    __cx,
                )
            }
        }
        #[automatically_derived]
        impl<C> ::ha_cover::__private_0_1_0::asynchronous::AsyncSeek for Counted
        where
            Counted: ::ha_cover::__private_0_1_0::asynchronous::AsyncDeclaration<
                Connection = C,
            >,
            C: ::ha_cover::__private_0_1_0::asynchronous::AsyncSeekConnection,
        {
            #[inline]
            fn start_seek(
                self: ::ha_cover::__private_0_1_0::asynchronous::Pin<&mut Self>,
                __pos: ::ha_cover::__private_0_1_0::std::io::SeekFrom,
            ) -> ::ha_cover::__private_0_1_0::std::io::Result<()> {
                ::ha_cover::__private_0_1_0::asynchronous::AsyncSeek::start_seek(
                    ::ha_cover::__private_0_1_0::asynchronous::Pin::new(
                        &mut self.get_mut().0,
                    ),
                    __pos,
                )
            }
            #[inline]
            fn poll_complete(
                self: ::ha_cover::__private_0_1_0::asynchronous::Pin<&mut Self>,
                __cx: &mut ::ha_cover::__private_0_1_0::asynchronous::Context<'_>,
            ) -> ::ha_cover::__private_0_1_0::asynchronous::Poll<
                ::ha_cover::__private_0_1_0::std::io::Result<u64>,
            > {
                ::ha_cover::__private_0_1_0::asynchronous::AsyncSeek::poll_complete(
                    ::ha_cover::__private_0_1_0::asynchronous::Pin::new(
                        &mut self.get_mut().0,
                    ),
                    __cx,
                )
            }
        }
        impl Counted {}
        #[automatically_derived]
        #[doc(hidden)]
        impl ::ha_cover::__private_0_1_0::std::io::Read for Counted
        where
            for<'x> ::ha_cover::__private_0_1_0::kind::file: ::ha_cover::__private_0_1_0::Blocking<
                Counted,
            >,
        {
            fn read(
                &mut self,
                __buf: &mut [u8],
            ) -> ::ha_cover::__private_0_1_0::std::io::Result<usize> {
                ::ha_cover::__private_0_1_0::std::unreachable!()
            }
        }
        #[automatically_derived]
        #[doc(hidden)]
        impl ::ha_cover::__private_0_1_0::std::io::Write for Counted
        where
            for<'x> ::ha_cover::__private_0_1_0::kind::file: ::ha_cover::__private_0_1_0::Blocking<
                Counted,
            >,
        {
            fn write(
                &mut self,
                __buf: &[u8],
            ) -> ::ha_cover::__private_0_1_0::std::io::Result<usize> {
                ::ha_cover::__private_0_1_0::std::unreachable!()
            }
            fn flush(&mut self) -> ::ha_cover::__private_0_1_0::std::io::Result<()> {
                ::ha_cover::__private_0_1_0::std::unreachable!()
            }
        }
    };
}
