::ha_cover::__private_0_1_0::require_tokio!("asynchronous");
::ha_cover::__private_0_1_0::if_tokio! {
    /// An async typed cover declared `#[ha_connection(unix, asynchronous, mode = read_write, ...)]`: it derefs to `ha_cover::typed::AsyncTypedCover`, where its methods are.
    pub(crate) struct Echo(::ha_cover::__private_0_1_0::asynchronous::AsyncTypedCover<Echo>);
    #[doc(hidden)]
    #[allow(unused_qualifications)]
    const _: () = {
        type Handle = Session;
        #[automatically_derived]
        impl ::ha_cover::__private_0_1_0::asynchronous::AsyncDeclaration for Echo {
            type Connection = ::ha_cover::__private_0_1_0::asynchronous::UnixStream;
            type Handle = Handle;
            type Kind = ::ha_cover::__private_0_1_0::kind::unix;
            type Mode = ::ha_cover::__private_0_1_0::mode::read_write;
            const NAME: &'static str = "Echo";
            fn policy() -> ::ha_cover::__private_0_1_0::Builder {
                ::ha_cover::__private_0_1_0::Builder::new()
                    .write_policy(::ha_cover::__private_0_1_0::WritePolicy::Replay)
            }
            fn recover<'a>(
                __failure: &'a ::ha_cover::__private_0_1_0::asynchronous::AsyncFailure<
                    'a,
                    ::ha_cover::__private_0_1_0::asynchronous::UnixStream,
                >,
                __handle: &'a mut Handle,
            ) -> ::ha_cover::__private_0_1_0::asynchronous::BoxFuture<
                'a,
                ::ha_cover::__private_0_1_0::Result<
                    ::ha_cover::__private_0_1_0::asynchronous::UnixStream,
                    ::ha_cover::__private_0_1_0::AttemptError,
                >,
            > {
                ::ha_cover::__private_0_1_0::asynchronous::with::<
                    ::ha_cover::__private_0_1_0::asynchronous::UnixStream,
                    Handle,
                    _,
                    _,
                    _,
                    _,
                >(session::resume, __failure, __handle)
            }
            fn from_typed(
                __typed: ::ha_cover::__private_0_1_0::asynchronous::AsyncTypedCover<Self>,
            ) -> Self {
                Self(__typed)
            }
        }
        impl Echo {
            /// Connects to the Unix socket at `path` and covers the tokio stream, with the client's handle. Recovery reconnects to the same path.
            pub(crate) async fn connect(
                path: impl ::ha_cover::__private_0_1_0::std::convert::AsRef<
                    ::ha_cover::__private_0_1_0::std::path::Path,
                >,
                handle: Handle,
            ) -> ::ha_cover::__private_0_1_0::std::io::Result<Self> {
                ::ha_cover::__private_0_1_0::asynchronous::connect_unix::<Self>(path, handle)
                    .await
            }
            /// Covers an async connection that is already open (QNX's `ha_attach`), with the client's handle.
            pub(crate) fn attach(
                connection: ::ha_cover::__private_0_1_0::asynchronous::UnixStream,
                handle: Handle,
            ) -> ::ha_cover::__private_0_1_0::std::io::Result<Self> {
                ::ha_cover::__private_0_1_0::asynchronous::attach::<Self>(connection, handle)
            }
            /// Stops covering (QNX's `ha_detach`): the connection as it is now.
            pub(crate) fn into_inner(
                self,
            ) -> ::ha_cover::__private_0_1_0::asynchronous::UnixStream {
                self.0.into_inner()
            }
            /// Stops checking the declaration: the untyped async cover, still
            /// covering.
            pub(crate) fn into_cover(
                self,
            ) -> ::ha_cover::__private_0_1_0::asynchronous::AsyncCover<
                ::ha_cover::__private_0_1_0::asynchronous::UnixStream,
                Handle,
            > {
                self.0.into_cover()
            }
            /// Stops covering: the connection, and the handle when this was the last
            /// of its dups (a recovery task still running keeps it).
            pub(crate) fn into_parts(
                self,
            ) -> (
                ::ha_cover::__private_0_1_0::asynchronous::UnixStream,
                ::ha_cover::__private_0_1_0::Option<Handle>,
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
            for<'x> ::ha_cover::__private_0_1_0::kind::unix: ::ha_cover::__private_0_1_0::asynchronous::AsyncSeeks<
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
            for<'x> ::ha_cover::__private_0_1_0::kind::unix: ::ha_cover::__private_0_1_0::Blocking<
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
            for<'x> ::ha_cover::__private_0_1_0::kind::unix: ::ha_cover::__private_0_1_0::Blocking<
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
