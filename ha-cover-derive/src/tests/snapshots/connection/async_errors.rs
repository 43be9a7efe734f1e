::ha_cover::__private_0_1_0::require_tokio!("asynchronous");
::ha_cover::__private_0_1_0::if_tokio! {
    /// An async typed cover declared `#[ha_connection(tcp, asynchronous, mode = read_write, ...)]`: it derefs to `ha_cover::typed::AsyncTypedCover`, where its methods are.
    struct Echo(::ha_cover::__private_0_1_0::asynchronous::AsyncTypedCover<Echo>);
    #[doc(hidden)]
    #[allow(unused_qualifications)]
    const _: () = {
        #[automatically_derived]
        impl ::ha_cover::__private_0_1_0::asynchronous::AsyncDeclaration for Echo {
            type Connection = ::ha_cover::__private_0_1_0::asynchronous::TcpStream;
            type Handle = ();
            type Kind = ::ha_cover::__private_0_1_0::kind::tcp;
            type Mode = ::ha_cover::__private_0_1_0::mode::read_write;
            const NAME: &'static str = "Echo";
            fn policy() -> ::ha_cover::__private_0_1_0::Builder {
                ::ha_cover::__private_0_1_0::Builder::new()
            }
            fn recover<'a>(
                __failure: &'a ::ha_cover::__private_0_1_0::asynchronous::AsyncFailure<
                    'a,
                    ::ha_cover::__private_0_1_0::asynchronous::TcpStream,
                >,
                __handle: &'a mut (),
            ) -> ::ha_cover::__private_0_1_0::asynchronous::BoxFuture<
                'a,
                ::ha_cover::__private_0_1_0::Result<
                    ::ha_cover::__private_0_1_0::asynchronous::TcpStream,
                    ::ha_cover::__private_0_1_0::AttemptError,
                >,
            > {
                ::ha_cover::__private_0_1_0::std::unreachable!()
            }
            fn from_typed(
                __typed: ::ha_cover::__private_0_1_0::asynchronous::AsyncTypedCover<Self>,
            ) -> Self {
                Self(__typed)
            }
        }
        impl Echo {
            /// Connects to `addr` over TCP and covers the tokio stream. Recovery reconnects to the address that accepted this connection.
            async fn connect(
                addr: impl ::ha_cover::__private_0_1_0::asynchronous::ToSocketAddrs,
            ) -> ::ha_cover::__private_0_1_0::std::io::Result<Self> {
                ::ha_cover::__private_0_1_0::asynchronous::connect_tcp::<Self>(addr, ())
                    .await
            }
            /// Covers an async connection that is already open (QNX's `ha_attach`).
            fn attach(
                connection: ::ha_cover::__private_0_1_0::asynchronous::TcpStream,
            ) -> ::ha_cover::__private_0_1_0::std::io::Result<Self> {
                ::ha_cover::__private_0_1_0::asynchronous::attach::<Self>(connection, ())
            }
            /// Stops covering (QNX's `ha_detach`): the connection as it is now.
            fn into_inner(self) -> ::ha_cover::__private_0_1_0::asynchronous::TcpStream {
                self.0.into_inner()
            }
            /// Stops checking the declaration: the untyped async cover, still
            /// covering.
            fn into_cover(
                self,
            ) -> ::ha_cover::__private_0_1_0::asynchronous::AsyncCover<
                ::ha_cover::__private_0_1_0::asynchronous::TcpStream,
                (),
            > {
                self.0.into_cover()
            }
            /// Stops covering: the connection, and the handle when this was the last
            /// of its dups (a recovery task still running keeps it).
            fn into_parts(
                self,
            ) -> (
                ::ha_cover::__private_0_1_0::asynchronous::TcpStream,
                ::ha_cover::__private_0_1_0::Option<()>,
            ) {
                self.0.into_parts()
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private_0_1_0::std::ops::Deref for Echo {
            type Target = ::ha_cover::__private_0_1_0::asynchronous::AsyncTypedCover<Echo>;
            #[inline]
            fn deref(
                &self,
            ) -> &::ha_cover::__private_0_1_0::asynchronous::AsyncTypedCover<Echo> {
                &self.0
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private_0_1_0::std::ops::DerefMut for Echo {
            #[inline]
            fn deref_mut(
                &mut self,
            ) -> &mut ::ha_cover::__private_0_1_0::asynchronous::AsyncTypedCover<Echo> {
                &mut self.0
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private_0_1_0::std::fmt::Debug for Echo {
            fn fmt(
                &self,
                __f: &mut ::ha_cover::__private_0_1_0::std::fmt::Formatter<'_>,
            ) -> ::ha_cover::__private_0_1_0::std::fmt::Result {
                ::ha_cover::__private_0_1_0::std::fmt::Debug::fmt(&self.0, __f)
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private_0_1_0::asynchronous::AsyncRead for Echo {
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
        impl ::ha_cover::__private_0_1_0::asynchronous::AsyncWrite for Echo {
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
        impl ::ha_cover::__private_0_1_0::std::os::fd::AsFd for Echo {
            fn as_fd(&self) -> ::ha_cover::__private_0_1_0::std::os::fd::BorrowedFd<'_> {
                ::ha_cover::__private_0_1_0::std::os::fd::AsFd::as_fd(self.0.get_ref())
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private_0_1_0::std::os::fd::AsRawFd for Echo {
            fn as_raw_fd(&self) -> ::ha_cover::__private_0_1_0::std::os::fd::RawFd {
                ::ha_cover::__private_0_1_0::std::os::fd::AsRawFd::as_raw_fd(
                    self.0.get_ref(),
                )
            }
        }
        impl Echo {}
        #[automatically_derived]
        #[doc(hidden)]
        impl ::ha_cover::__private_0_1_0::asynchronous::AsyncSeek for Echo
        where
            for<'x> ::ha_cover::__private_0_1_0::kind::tcp: ::ha_cover::__private_0_1_0::asynchronous::AsyncSeeks<
                Echo,
            >,
        {
            fn start_seek(
                self: ::ha_cover::__private_0_1_0::asynchronous::Pin<&mut Self>,
                __pos: ::ha_cover::__private_0_1_0::std::io::SeekFrom,
            ) -> ::ha_cover::__private_0_1_0::std::io::Result<()> {
                ::ha_cover::__private_0_1_0::std::unreachable!()
            }
            fn poll_complete(
                self: ::ha_cover::__private_0_1_0::asynchronous::Pin<&mut Self>,
                __cx: &mut ::ha_cover::__private_0_1_0::asynchronous::Context<'_>,
            ) -> ::ha_cover::__private_0_1_0::asynchronous::Poll<
                ::ha_cover::__private_0_1_0::std::io::Result<u64>,
            > {
                ::ha_cover::__private_0_1_0::std::unreachable!()
            }
        }
        #[automatically_derived]
        #[doc(hidden)]
        impl ::ha_cover::__private_0_1_0::std::io::Read for Echo
        where
            for<'x> ::ha_cover::__private_0_1_0::kind::tcp: ::ha_cover::__private_0_1_0::Blocking<
                Echo,
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
        impl ::ha_cover::__private_0_1_0::std::io::Write for Echo
        where
            for<'x> ::ha_cover::__private_0_1_0::kind::tcp: ::ha_cover::__private_0_1_0::Blocking<
                Echo,
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
::core::compile_error! {
    "`asynchronous` is given twice; keep one of them"
}
::core::compile_error! {
    "`Echo` writes to a socket, and a write the server may have received before it died cannot be taken back: say what recovery sends again with `write_policy = never` (nothing; the caller is told it is indeterminate), `write_policy = always` (the failed write: the protocol is idempotent) or `write_policy = replay` (everything the server has not answered)"
}
