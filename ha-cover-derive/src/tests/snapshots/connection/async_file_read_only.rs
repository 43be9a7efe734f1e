::ha_cover::__private::require_tokio!("asynchronous");
::ha_cover::__private::if_tokio! {
    /// The seed's file, for tokio.
    ///
    /// An async typed cover declared `#[ha_connection(file, asynchronous, mode = read_only, ...)]`: it derefs to `ha_cover::typed::AsyncTypedCover`, where its methods are.
    pub struct TestFile(::ha_cover::__private::asynchronous::AsyncTypedCover<TestFile>);
    #[doc(hidden)]
    #[allow(unused_qualifications)]
    const _: () = {
        type HaHandle = Handle;
        #[automatically_derived]
        impl ::ha_cover::__private::asynchronous::AsyncDeclaration for TestFile {
            type Connection = ::ha_cover::__private::asynchronous::File;
            type Handle = HaHandle;
            type Kind = ::ha_cover::__private::kind::file;
            type Mode = ::ha_cover::__private::mode::read_only;
            const NAME: &'static str = "TestFile";
            fn policy() -> ::ha_cover::__private::Builder {
                ::ha_cover::__private::Builder::new().attempts(5)
            }
            fn recover<'a>(
                __failure: &'a ::ha_cover::__private::asynchronous::AsyncFailure<
                    'a,
                    ::ha_cover::__private::asynchronous::File,
                >,
                __handle: &'a mut HaHandle,
            ) -> ::ha_cover::__private::asynchronous::BoxFuture<
                'a,
                ::ha_cover::__private::Result<
                    ::ha_cover::__private::asynchronous::File,
                    ::ha_cover::__private::AttemptError,
                >,
            > {
                ::ha_cover::__private::asynchronous::by_handle::<
                    ::ha_cover::__private::asynchronous::File,
                    HaHandle,
                >(__failure, __handle)
            }
            fn from_typed(
                __typed: ::ha_cover::__private::asynchronous::AsyncTypedCover<Self>,
            ) -> Self {
                Self(__typed)
            }
        }
        impl TestFile {
            /// Opens the existing file at `path` for reading (`mode = read_only`) as an async `ha_cover::tokio::File` and covers it, with the client's handle (QNX's `ha_open`). Recovery follows the declaration.
            pub async fn open(
                path: impl ::ha_cover::__private::std::convert::AsRef<
                    ::ha_cover::__private::std::path::Path,
                >,
                handle: HaHandle,
            ) -> ::ha_cover::__private::std::io::Result<Self> {
                ::ha_cover::__private::asynchronous::open::<Self>(path, handle).await
            }
            /// Opens `path` with `options` as an async `ha_cover::tokio::File` and covers it, with the client's handle. The options must give the access `mode = read_only` promises (an error says otherwise); recovery reopens with the same flags but never creates or truncates.
            pub async fn open_with(
                path: impl ::ha_cover::__private::std::convert::AsRef<
                    ::ha_cover::__private::std::path::Path,
                >,
                options: &::ha_cover::__private::std::fs::OpenOptions,
                handle: HaHandle,
            ) -> ::ha_cover::__private::std::io::Result<Self> {
                ::ha_cover::__private::asynchronous::open_with::<Self>(path, options, handle)
                    .await
            }
            /// Covers an async connection that is already open (QNX's `ha_attach`), with the client's handle. The file must be open with the access `mode = read_only` promises; an error says otherwise.
            pub fn attach(
                connection: ::ha_cover::__private::asynchronous::File,
                handle: HaHandle,
            ) -> ::ha_cover::__private::std::io::Result<Self> {
                ::ha_cover::__private::asynchronous::attach::<Self>(connection, handle)
            }
            /// Stops covering (QNX's `ha_detach`): the connection as it is now.
            pub fn into_inner(self) -> ::ha_cover::__private::asynchronous::File {
                self.0.into_inner()
            }
            /// Stops checking the declaration: the untyped async cover, still
            /// covering.
            pub fn into_cover(
                self,
            ) -> ::ha_cover::__private::asynchronous::AsyncCover<
                ::ha_cover::__private::asynchronous::File,
                HaHandle,
            > {
                self.0.into_cover()
            }
            /// Stops covering: the connection, and the handle when this was the last
            /// of its dups (a recovery task still running keeps it).
            pub fn into_parts(
                self,
            ) -> (
                ::ha_cover::__private::asynchronous::File,
                ::ha_cover::__private::Option<HaHandle>,
            ) {
                self.0.into_parts()
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private::std::ops::Deref for TestFile {
            type Target = ::ha_cover::__private::asynchronous::AsyncTypedCover<TestFile>;
            #[inline]
            fn deref(
                &self,
            ) -> &::ha_cover::__private::asynchronous::AsyncTypedCover<TestFile> {
                &self.0
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private::std::ops::DerefMut for TestFile {
            #[inline]
            fn deref_mut(
                &mut self,
            ) -> &mut ::ha_cover::__private::asynchronous::AsyncTypedCover<TestFile> {
                &mut self.0
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private::std::fmt::Debug for TestFile {
            fn fmt(
                &self,
                __f: &mut ::ha_cover::__private::std::fmt::Formatter<'_>,
            ) -> ::ha_cover::__private::std::fmt::Result {
                ::ha_cover::__private::std::fmt::Debug::fmt(&self.0, __f)
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private::asynchronous::AsyncRead for TestFile {
            #[inline]
            fn poll_read(
                self: ::ha_cover::__private::asynchronous::Pin<&mut Self>,
                __cx: &mut ::ha_cover::__private::asynchronous::Context<'_>,
                __buf: &mut ::ha_cover::__private::asynchronous::ReadBuf<'_>,
            ) -> ::ha_cover::__private::asynchronous::Poll<
                ::ha_cover::__private::std::io::Result<()>,
            > {
                ::ha_cover::__private::asynchronous::AsyncRead::poll_read(
                    ::ha_cover::__private::asynchronous::Pin::new(&mut self.get_mut().0),
                    __cx,
                    __buf,
                )
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private::asynchronous::AsyncSeek for TestFile {
            #[inline]
            fn start_seek(
                self: ::ha_cover::__private::asynchronous::Pin<&mut Self>,
                __pos: ::ha_cover::__private::std::io::SeekFrom,
            ) -> ::ha_cover::__private::std::io::Result<()> {
                ::ha_cover::__private::asynchronous::AsyncSeek::start_seek(
                    ::ha_cover::__private::asynchronous::Pin::new(&mut self.get_mut().0),
                    __pos,
                )
            }
            #[inline]
            fn poll_complete(
                self: ::ha_cover::__private::asynchronous::Pin<&mut Self>,
                __cx: &mut ::ha_cover::__private::asynchronous::Context<'_>,
            ) -> ::ha_cover::__private::asynchronous::Poll<
                ::ha_cover::__private::std::io::Result<u64>,
            > {
                ::ha_cover::__private::asynchronous::AsyncSeek::poll_complete(
                    ::ha_cover::__private::asynchronous::Pin::new(&mut self.get_mut().0),
                    __cx,
                )
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private::std::os::fd::AsFd for TestFile {
            fn as_fd(&self) -> ::ha_cover::__private::std::os::fd::BorrowedFd<'_> {
                ::ha_cover::__private::std::os::fd::AsFd::as_fd(self.0.get_ref())
            }
        }
        #[automatically_derived]
        impl ::ha_cover::__private::std::os::fd::AsRawFd for TestFile {
            fn as_raw_fd(&self) -> ::ha_cover::__private::std::os::fd::RawFd {
                ::ha_cover::__private::std::os::fd::AsRawFd::as_raw_fd(self.0.get_ref())
            }
        }
        impl TestFile {
            #[doc(hidden)]
            #[allow(unused_variables)]
            pub fn create(
                path: impl ::ha_cover::__private::std::convert::AsRef<
                    ::ha_cover::__private::std::path::Path,
                >,
                handle: HaHandle,
            ) -> ::ha_cover::__private::Excluded<Self>
            where
                for<'x> ::ha_cover::__private::mode::read_only: ::ha_cover::__private::Creates<
                    Self,
                >,
            {
                ::ha_cover::__private::std::unreachable!()
            }
            #[doc(hidden)]
            #[allow(unused_variables)]
            pub fn connect<A>(
                addr: A,
                handle: HaHandle,
            ) -> ::ha_cover::__private::Excluded<Self>
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
        impl ::ha_cover::__private::asynchronous::AsyncWrite for TestFile
        where
            for<'x> ::ha_cover::__private::mode::read_only: ::ha_cover::__private::Writes<
                TestFile,
            >,
        {
            fn poll_write(
                self: ::ha_cover::__private::asynchronous::Pin<&mut Self>,
                __cx: &mut ::ha_cover::__private::asynchronous::Context<'_>,
                __buf: &[u8],
            ) -> ::ha_cover::__private::asynchronous::Poll<
                ::ha_cover::__private::std::io::Result<usize>,
            > {
                ::ha_cover::__private::std::unreachable!()
            }
            fn poll_flush(
                self: ::ha_cover::__private::asynchronous::Pin<&mut Self>,
                __cx: &mut ::ha_cover::__private::asynchronous::Context<'_>,
            ) -> ::ha_cover::__private::asynchronous::Poll<
                ::ha_cover::__private::std::io::Result<()>,
            > {
                ::ha_cover::__private::std::unreachable!()
            }
            fn poll_shutdown(
                self: ::ha_cover::__private::asynchronous::Pin<&mut Self>,
                __cx: &mut ::ha_cover::__private::asynchronous::Context<'_>,
            ) -> ::ha_cover::__private::asynchronous::Poll<
                ::ha_cover::__private::std::io::Result<()>,
            > {
                ::ha_cover::__private::std::unreachable!()
            }
        }
        #[automatically_derived]
        #[doc(hidden)]
        impl ::ha_cover::__private::std::io::Read for TestFile
        where
            for<'x> ::ha_cover::__private::kind::file: ::ha_cover::__private::Blocking<
                TestFile,
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
        impl ::ha_cover::__private::std::io::Write for TestFile
        where
            for<'x> ::ha_cover::__private::kind::file: ::ha_cover::__private::Blocking<
                TestFile,
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
