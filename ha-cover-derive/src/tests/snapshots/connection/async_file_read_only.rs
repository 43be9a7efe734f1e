::ha_cover::__private_0_1_0::require_tokio!("asynchronous");
::ha_cover::__private_0_1_0::if_tokio! {
    /// The seed's file, for tokio.
    ///
    /// An async typed cover declared `#[ha_connection(file, asynchronous, mode = read_only, ...)]`: it derefs to `ha_cover::typed::AsyncTypedCover`, where its methods are.
    pub struct TestFile(
        ::ha_cover::__private_0_1_0::asynchronous::AsyncTypedCover<TestFile>,
    );
    #[doc(hidden)]
    #[allow(unused_qualifications)]
    const _: () = {
        type HaHandle = Handle;
        #[automatically_derived]
        impl ::ha_cover::__private_0_1_0::asynchronous::AsyncDeclaration for TestFile {
            type Connection = ::ha_cover::__private_0_1_0::asynchronous::File;
            type Handle = HaHandle;
            type Kind = ::ha_cover::__private_0_1_0::kind::file;
            type Mode = ::ha_cover::__private_0_1_0::mode::read_only;
            const NAME: &'static str = "TestFile";
            fn policy() -> ::ha_cover::__private_0_1_0::Builder {
                ::ha_cover::__private_0_1_0::Builder::new().attempts(5)
            }
            fn recover<'a>(
                __failure: &'a ::ha_cover::__private_0_1_0::asynchronous::AsyncFailure<
                    'a,
                    ::ha_cover::__private_0_1_0::asynchronous::File,
                >,
                __handle: &'a mut HaHandle,
            ) -> ::ha_cover::__private_0_1_0::asynchronous::BoxFuture<
                'a,
                ::ha_cover::__private_0_1_0::Result<
                    ::ha_cover::__private_0_1_0::asynchronous::File,
                    ::ha_cover::__private_0_1_0::AttemptError,
                >,
            > {
                ::ha_cover::__private_0_1_0::asynchronous::by_handle::<
                    ::ha_cover::__private_0_1_0::asynchronous::File,
                    HaHandle,
                >(__failure, __handle)
            }
            fn from_typed(
                __typed: ::ha_cover::__private_0_1_0::asynchronous::AsyncTypedCover<Self>,
            ) -> Self {
                Self(__typed)
            }
        }
        impl TestFile {
            /// Opens the existing file at `path` for reading (`mode = read_only`) as an async `ha_cover::asynchronous::File` and covers it, with the client's handle (QNX's `ha_open`). Recovery follows the declaration.
            pub async fn open(
                path: impl ::ha_cover::__private_0_1_0::std::convert::AsRef<
                    ::ha_cover::__private_0_1_0::std::path::Path,
                >,
                handle: HaHandle,
            ) -> ::ha_cover::__private_0_1_0::std::io::Result<Self> {
                ::ha_cover::__private_0_1_0::asynchronous::open::<Self>(path, handle).await
            }
            /// Opens `path` with `options` as an async `ha_cover::asynchronous::File` and covers it, with the client's handle. The options must give the access `mode = read_only` promises (an error says otherwise); recovery reopens with the same flags but never creates or truncates.
            pub async fn open_with(
                path: impl ::ha_cover::__private_0_1_0::std::convert::AsRef<
                    ::ha_cover::__private_0_1_0::std::path::Path,
                >,
                options: &::ha_cover::__private_0_1_0::std::fs::OpenOptions,
                handle: HaHandle,
            ) -> ::ha_cover::__private_0_1_0::std::io::Result<Self> {
                ::ha_cover::__private_0_1_0::asynchronous::open_with::<
                    Self,
                >(path, options, handle)
                    .await
            }
            /// Covers an async connection that is already open (QNX's `ha_attach`), with the client's handle. The file must be open with the access `mode = read_only` promises; an error says otherwise.
            pub fn attach(
                connection: ::ha_cover::__private_0_1_0::asynchronous::File,
                handle: HaHandle,
            ) -> ::ha_cover::__private_0_1_0::std::io::Result<Self> {
                ::ha_cover::__private_0_1_0::asynchronous::attach::<Self>(connection, handle)
            }
            /// Stops covering (QNX's `ha_detach`): the connection as it is now.
            pub fn into_inner(self) -> ::ha_cover::__private_0_1_0::asynchronous::File {
                self.0.into_inner()
            }
            /// Stops checking the declaration: the untyped async cover, still
            /// covering.
            pub fn into_cover(
                self,
            ) -> ::ha_cover::__private_0_1_0::asynchronous::AsyncCover<
                ::ha_cover::__private_0_1_0::asynchronous::File,
                HaHandle,
            > {
                self.0.into_cover()
            }
            /// Stops covering: the connection, and the handle when this was the last
            /// of its dups (a recovery task still running keeps it).
            pub fn into_parts(
                self,
            ) -> (
                ::ha_cover::__private_0_1_0::asynchronous::File,
                ::ha_cover::__private_0_1_0::Option<HaHandle>,
            ) {
                self.0.into_parts()
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private_0_1_0::std::ops::Deref for TestFile {
            type Target = ::ha_cover::__private_0_1_0::asynchronous::AsyncTypedCover<
                TestFile,
            >;
            #[inline]
            fn deref(
                &self,
            ) -> &::ha_cover::__private_0_1_0::asynchronous::AsyncTypedCover<TestFile> {
                &self.0
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private_0_1_0::std::ops::DerefMut for TestFile {
            #[inline]
            fn deref_mut(
                &mut self,
            ) -> &mut ::ha_cover::__private_0_1_0::asynchronous::AsyncTypedCover<TestFile> {
                &mut self.0
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private_0_1_0::std::fmt::Debug for TestFile {
            fn fmt(
                &self,
                __f: &mut ::ha_cover::__private_0_1_0::std::fmt::Formatter<'_>,
            ) -> ::ha_cover::__private_0_1_0::std::fmt::Result {
                ::ha_cover::__private_0_1_0::std::fmt::Debug::fmt(&self.0, __f)
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private_0_1_0::asynchronous::AsyncRead for TestFile {
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
        impl ::ha_cover::__private_0_1_0::asynchronous::AsyncSeek for TestFile {
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
        #[automatically_derived]
        impl ::ha_cover::__private_0_1_0::std::os::fd::AsFd for TestFile {
            fn as_fd(&self) -> ::ha_cover::__private_0_1_0::std::os::fd::BorrowedFd<'_> {
                ::ha_cover::__private_0_1_0::std::os::fd::AsFd::as_fd(self.0.get_ref())
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private_0_1_0::std::os::fd::AsRawFd for TestFile {
            fn as_raw_fd(&self) -> ::ha_cover::__private_0_1_0::std::os::fd::RawFd {
                ::ha_cover::__private_0_1_0::std::os::fd::AsRawFd::as_raw_fd(
                    self.0.get_ref(),
                )
            }
        }
        impl TestFile {
            #[doc(hidden)]
            #[allow(unused_variables)]
            pub fn create(
                path: impl ::ha_cover::__private_0_1_0::std::convert::AsRef<
                    ::ha_cover::__private_0_1_0::std::path::Path,
                >,
                handle: HaHandle,
            ) -> ::ha_cover::__private_0_1_0::Excluded<Self>
            where
                for<'x> ::ha_cover::__private_0_1_0::mode::read_only: ::ha_cover::__private_0_1_0::Creates<
                    Self,
                >,
            {
                ::ha_cover::__private_0_1_0::std::unreachable!()
            }
            #[doc(hidden)]
            #[allow(unused_variables)]
            pub fn connect<A>(
                addr: A,
                handle: HaHandle,
            ) -> ::ha_cover::__private_0_1_0::Excluded<Self>
            where
                for<'x> ::ha_cover::__private_0_1_0::kind::file: ::ha_cover::__private_0_1_0::Connects<
                    Self,
                >,
            {
                ::ha_cover::__private_0_1_0::std::unreachable!()
            }
        }
        #[automatically_derived]
        #[doc(hidden)]
        impl ::ha_cover::__private_0_1_0::asynchronous::AsyncWrite for TestFile
        where
            for<'x> ::ha_cover::__private_0_1_0::mode::read_only: ::ha_cover::__private_0_1_0::Writes<
                TestFile,
            >,
        {
            fn poll_write(
                self: ::ha_cover::__private_0_1_0::asynchronous::Pin<&mut Self>,
                __cx: &mut ::ha_cover::__private_0_1_0::asynchronous::Context<'_>,
                __buf: &[u8],
            ) -> ::ha_cover::__private_0_1_0::asynchronous::Poll<
                ::ha_cover::__private_0_1_0::std::io::Result<usize>,
            > {
                ::ha_cover::__private_0_1_0::std::unreachable!()
            }
            fn poll_flush(
                self: ::ha_cover::__private_0_1_0::asynchronous::Pin<&mut Self>,
                __cx: &mut ::ha_cover::__private_0_1_0::asynchronous::Context<'_>,
            ) -> ::ha_cover::__private_0_1_0::asynchronous::Poll<
                ::ha_cover::__private_0_1_0::std::io::Result<()>,
            > {
                ::ha_cover::__private_0_1_0::std::unreachable!()
            }
            fn poll_shutdown(
                self: ::ha_cover::__private_0_1_0::asynchronous::Pin<&mut Self>,
                __cx: &mut ::ha_cover::__private_0_1_0::asynchronous::Context<'_>,
            ) -> ::ha_cover::__private_0_1_0::asynchronous::Poll<
                ::ha_cover::__private_0_1_0::std::io::Result<()>,
            > {
                ::ha_cover::__private_0_1_0::std::unreachable!()
            }
        }
        #[automatically_derived]
        #[doc(hidden)]
        impl ::ha_cover::__private_0_1_0::std::io::Read for TestFile
        where
            for<'x> ::ha_cover::__private_0_1_0::kind::file: ::ha_cover::__private_0_1_0::Blocking<
                TestFile,
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
        impl ::ha_cover::__private_0_1_0::std::io::Write for TestFile
        where
            for<'x> ::ha_cover::__private_0_1_0::kind::file: ::ha_cover::__private_0_1_0::Blocking<
                TestFile,
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
