::ha_cover::__private::require_tokio!("asynchronous");
::ha_cover::__private::if_tokio! {
    /// An async typed cover declared `#[ha_connection(file, asynchronous, mode = append, ...)]`: it derefs to `ha_cover::typed::AsyncTypedCover`, where its methods are.
    struct Journal(::ha_cover::__private::asynchronous::AsyncTypedCover<Journal>);
    #[doc(hidden)]
    #[allow(unused_qualifications)]
    const _: () = {
        type Handle = Log;
        #[automatically_derived]
        impl ::ha_cover::__private::asynchronous::AsyncDeclaration for Journal {
            type Connection = ::ha_cover::__private::asynchronous::File;
            type Handle = Handle;
            type Kind = ::ha_cover::__private::kind::file;
            type Mode = ::ha_cover::__private::mode::append;
            const NAME: &'static str = "Journal";
            fn policy() -> ::ha_cover::__private::Builder {
                ::ha_cover::__private::Builder::new()
            }
            fn recover<'a>(
                __failure: &'a ::ha_cover::__private::asynchronous::AsyncFailure<
                    'a,
                    ::ha_cover::__private::asynchronous::File,
                >,
                __handle: &'a mut Handle,
            ) -> ::ha_cover::__private::asynchronous::BoxFuture<
                'a,
                ::ha_cover::__private::Result<
                    ::ha_cover::__private::asynchronous::File,
                    ::ha_cover::__private::AttemptError,
                >,
            > {
                ::ha_cover::__private::asynchronous::by_handle::<
                    ::ha_cover::__private::asynchronous::File,
                    Handle,
                >(__failure, __handle)
            }
            fn from_typed(
                __typed: ::ha_cover::__private::asynchronous::AsyncTypedCover<Self>,
            ) -> Self {
                Self(__typed)
            }
        }
        #[allow(dead_code)]
        fn recovery_fits_the_mode() {
            use ::ha_cover::__private::asynchronous::{
                AsyncProbeFine as _, AsyncProbeGeneric as _, AsyncProbeSeeksBack as _,
            };
            ::ha_cover::__private::check_append::<
                Journal,
                Handle,
                _,
            >(
                (&&&::ha_cover::__private::asynchronous::AsyncStrategyProbe::<Handle>::new())
                    .verdict(),
            );
        }
        impl Journal {
            /// Opens the existing file at `path` for appending (`mode = append`) as an async `ha_cover::tokio::File` and covers it, with the client's handle (QNX's `ha_open`). Recovery follows the declaration.
            async fn open(
                path: impl ::ha_cover::__private::std::convert::AsRef<
                    ::ha_cover::__private::std::path::Path,
                >,
                handle: Handle,
            ) -> ::ha_cover::__private::std::io::Result<Self> {
                ::ha_cover::__private::asynchronous::open::<Self>(path, handle).await
            }
            /// Opens `path` with `options` as an async `ha_cover::tokio::File` and covers it, with the client's handle. The options must give the access `mode = append` promises (an error says otherwise); recovery reopens with the same flags but never creates or truncates.
            async fn open_with(
                path: impl ::ha_cover::__private::std::convert::AsRef<
                    ::ha_cover::__private::std::path::Path,
                >,
                options: &::ha_cover::__private::std::fs::OpenOptions,
                handle: Handle,
            ) -> ::ha_cover::__private::std::io::Result<Self> {
                ::ha_cover::__private::asynchronous::open_with::<Self>(path, options, handle)
                    .await
            }
            /// Opens `path` for appending (`mode = append`), creating it if it is missing, and covers it, with the client's handle (QNX's `ha_creat`). Recovery never creates or truncates.
            async fn create(
                path: impl ::ha_cover::__private::std::convert::AsRef<
                    ::ha_cover::__private::std::path::Path,
                >,
                handle: Handle,
            ) -> ::ha_cover::__private::std::io::Result<Self> {
                ::ha_cover::__private::asynchronous::create::<Self>(path, handle).await
            }
            /// Covers an async connection that is already open (QNX's `ha_attach`), with the client's handle. The file must be open with the access `mode = append` promises; an error says otherwise.
            fn attach(
                connection: ::ha_cover::__private::asynchronous::File,
                handle: Handle,
            ) -> ::ha_cover::__private::std::io::Result<Self> {
                ::ha_cover::__private::asynchronous::attach::<Self>(connection, handle)
            }
            /// Stops covering (QNX's `ha_detach`): the connection as it is now.
            fn into_inner(self) -> ::ha_cover::__private::asynchronous::File {
                self.0.into_inner()
            }
            /// Stops checking the declaration: the untyped async cover, still
            /// covering.
            fn into_cover(
                self,
            ) -> ::ha_cover::__private::asynchronous::AsyncCover<
                ::ha_cover::__private::asynchronous::File,
                Handle,
            > {
                self.0.into_cover()
            }
            /// Stops covering: the connection, and the handle when this was the last
            /// of its dups (a recovery task still running keeps it).
            fn into_parts(
                self,
            ) -> (
                ::ha_cover::__private::asynchronous::File,
                ::ha_cover::__private::Option<Handle>,
            ) {
                self.0.into_parts()
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private::std::ops::Deref for Journal {
            type Target = ::ha_cover::__private::asynchronous::AsyncTypedCover<Journal>;
            #[inline]
            fn deref(
                &self,
            ) -> &::ha_cover::__private::asynchronous::AsyncTypedCover<Journal> {
                &self.0
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private::std::ops::DerefMut for Journal {
            #[inline]
            fn deref_mut(
                &mut self,
            ) -> &mut ::ha_cover::__private::asynchronous::AsyncTypedCover<Journal> {
                &mut self.0
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private::std::fmt::Debug for Journal {
            fn fmt(
                &self,
                __f: &mut ::ha_cover::__private::std::fmt::Formatter<'_>,
            ) -> ::ha_cover::__private::std::fmt::Result {
                ::ha_cover::__private::std::fmt::Debug::fmt(&self.0, __f)
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private::asynchronous::AsyncWrite for Journal {
            #[inline]
            fn poll_write(
                self: ::ha_cover::__private::asynchronous::Pin<&mut Self>,
                __cx: &mut ::ha_cover::__private::asynchronous::Context<'_>,
                __buf: &[u8],
            ) -> ::ha_cover::__private::asynchronous::Poll<
                ::ha_cover::__private::std::io::Result<usize>,
            > {
                ::ha_cover::__private::asynchronous::AsyncWrite::poll_write(
                    ::ha_cover::__private::asynchronous::Pin::new(&mut self.get_mut().0),
                    __cx,
                    __buf,
                )
            }
            #[inline]
            fn poll_flush(
                self: ::ha_cover::__private::asynchronous::Pin<&mut Self>,
                __cx: &mut ::ha_cover::__private::asynchronous::Context<'_>,
            ) -> ::ha_cover::__private::asynchronous::Poll<
                ::ha_cover::__private::std::io::Result<()>,
            > {
                ::ha_cover::__private::asynchronous::AsyncWrite::poll_flush(
                    ::ha_cover::__private::asynchronous::Pin::new(&mut self.get_mut().0),
                    __cx,
                )
            }
            #[inline]
            fn poll_shutdown(
                self: ::ha_cover::__private::asynchronous::Pin<&mut Self>,
                __cx: &mut ::ha_cover::__private::asynchronous::Context<'_>,
            ) -> ::ha_cover::__private::asynchronous::Poll<
                ::ha_cover::__private::std::io::Result<()>,
            > {
                ::ha_cover::__private::asynchronous::AsyncWrite::poll_shutdown(
                    ::ha_cover::__private::asynchronous::Pin::new(&mut self.get_mut().0),
                    __cx,
                )
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private::std::os::fd::AsFd for Journal {
            fn as_fd(&self) -> ::ha_cover::__private::std::os::fd::BorrowedFd<'_> {
                ::ha_cover::__private::std::os::fd::AsFd::as_fd(self.0.get_ref())
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private::std::os::fd::AsRawFd for Journal {
            fn as_raw_fd(&self) -> ::ha_cover::__private::std::os::fd::RawFd {
                ::ha_cover::__private::std::os::fd::AsRawFd::as_raw_fd(self.0.get_ref())
            }
        }
        impl Journal {
            #[doc(hidden)]
            #[allow(unused_variables)]
            fn connect<A>(addr: A, handle: Handle) -> ::ha_cover::__private::Excluded<Self>
            where
                for<'x> ::ha_cover::__private::kind::file: ::ha_cover::__private::Connects<
                    Self,
                >,
            {
                ::ha_cover::__private::std::unreachable!()
            }
        }
        #[automatically_derived]
        #[doc(hidden)]
        impl ::ha_cover::__private::asynchronous::AsyncRead for Journal
        where
            for<'x> ::ha_cover::__private::mode::append: ::ha_cover::__private::Reads<
                Journal,
            >,
        {
            fn poll_read(
                self: ::ha_cover::__private::asynchronous::Pin<&mut Self>,
                __cx: &mut ::ha_cover::__private::asynchronous::Context<'_>,
                __buf: &mut ::ha_cover::__private::asynchronous::ReadBuf<'_>,
            ) -> ::ha_cover::__private::asynchronous::Poll<
                ::ha_cover::__private::std::io::Result<()>,
            > {
                ::ha_cover::__private::std::unreachable!()
            }
        }
        #[automatically_derived]
        #[doc(hidden)]
        impl ::ha_cover::__private::asynchronous::AsyncSeek for Journal
        where
            for<'x> ::ha_cover::__private::mode::append: ::ha_cover::__private::HasPosition<
                Journal,
            >,
        {
            fn start_seek(
                self: ::ha_cover::__private::asynchronous::Pin<&mut Self>,
                __pos: ::ha_cover::__private::std::io::SeekFrom,
            ) -> ::ha_cover::__private::std::io::Result<()> {
                ::ha_cover::__private::std::unreachable!()
            }
            fn poll_complete(
                self: ::ha_cover::__private::asynchronous::Pin<&mut Self>,
                __cx: &mut ::ha_cover::__private::asynchronous::Context<'_>,
            ) -> ::ha_cover::__private::asynchronous::Poll<
                ::ha_cover::__private::std::io::Result<u64>,
            > {
                ::ha_cover::__private::std::unreachable!()
            }
        }
        #[automatically_derived]
        #[doc(hidden)]
        impl ::ha_cover::__private::std::io::Read for Journal
        where
            for<'x> ::ha_cover::__private::kind::file: ::ha_cover::__private::Blocking<
                Journal,
            >,
        {
            fn read(
                &mut self,
                __buf: &mut [u8],
            ) -> ::ha_cover::__private::std::io::Result<usize> {
                ::ha_cover::__private::std::unreachable!()
            }
        }
        #[automatically_derived]
        #[doc(hidden)]
        impl ::ha_cover::__private::std::io::Write for Journal
        where
            for<'x> ::ha_cover::__private::kind::file: ::ha_cover::__private::Blocking<
                Journal,
            >,
        {
            fn write(
                &mut self,
                __buf: &[u8],
            ) -> ::ha_cover::__private::std::io::Result<usize> {
                ::ha_cover::__private::std::unreachable!()
            }
            fn flush(&mut self) -> ::ha_cover::__private::std::io::Result<()> {
                ::ha_cover::__private::std::unreachable!()
            }
        }
    };
}
