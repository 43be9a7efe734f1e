/// A typed cover declared `#[ha_connection(file, mode = append, ...)]`: it derefs to `ha_cover::typed::TypedCover`, where its methods are.
struct Journal(::ha_cover::__private_0_1_0::TypedCover<Journal>);
#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::Declaration for Journal {
        type Connection = ::ha_cover::__private_0_1_0::std::fs::File;
        type Handle = ();
        type Kind = ::ha_cover::__private_0_1_0::kind::file;
        type Mode = ::ha_cover::__private_0_1_0::mode::append;
        const NAME: &'static str = "Journal";
        fn policy() -> ::ha_cover::__private_0_1_0::Builder {
            ::ha_cover::__private_0_1_0::Builder::new()
                .total(3)
                .backoff(
                    ::ha_cover::__private_0_1_0::Backoff::fixed(
                        ::ha_cover::__private_0_1_0::Duration::from_millis(1500),
                    ),
                )
                .no_deadline()
        }
        fn recover(
            __failure: &::ha_cover::__private_0_1_0::Failure<
                '_,
                ::ha_cover::__private_0_1_0::std::fs::File,
            >,
            __handle: &mut (),
        ) -> ::ha_cover::__private_0_1_0::Result<
            ::ha_cover::__private_0_1_0::std::fs::File,
            ::ha_cover::__private_0_1_0::AttemptError,
        > {
            ::ha_cover::__private_0_1_0::recover_reopen::<
                ::ha_cover::__private_0_1_0::std::fs::File,
                _,
            >(__failure, __handle)
        }
        fn from_typed(__typed: ::ha_cover::__private_0_1_0::TypedCover<Self>) -> Self {
            Self(__typed)
        }
    }
    impl Journal {
        /// Opens the existing file at `path` for appending (`mode = append`) and covers it (QNX's `ha_open`). Recovery follows the declaration.
        fn open(
            path: impl ::ha_cover::__private_0_1_0::std::convert::AsRef<
                ::ha_cover::__private_0_1_0::std::path::Path,
            >,
        ) -> ::ha_cover::__private_0_1_0::std::io::Result<Self> {
            ::ha_cover::__private_0_1_0::open::<Self>(path, ())
        }
        /// Opens `path` with `options` and covers it. The options must give the access `mode = append` promises (an error says otherwise); recovery reopens with the same flags but never creates or truncates.
        fn open_with(
            path: impl ::ha_cover::__private_0_1_0::std::convert::AsRef<
                ::ha_cover::__private_0_1_0::std::path::Path,
            >,
            options: &::ha_cover::__private_0_1_0::std::fs::OpenOptions,
        ) -> ::ha_cover::__private_0_1_0::std::io::Result<Self> {
            ::ha_cover::__private_0_1_0::open_with::<Self>(path, options, ())
        }
        /// Opens `path` for appending (`mode = append`), creating it if it is missing, and covers it (QNX's `ha_creat`). Recovery never creates or truncates.
        fn create(
            path: impl ::ha_cover::__private_0_1_0::std::convert::AsRef<
                ::ha_cover::__private_0_1_0::std::path::Path,
            >,
        ) -> ::ha_cover::__private_0_1_0::std::io::Result<Self> {
            ::ha_cover::__private_0_1_0::create::<Self>(path, ())
        }
        /// Covers a connection that is already open (QNX's `ha_attach`). The file must be open with the access `mode = append` promises; an error says otherwise.
        fn attach(
            connection: ::ha_cover::__private_0_1_0::std::fs::File,
        ) -> ::ha_cover::__private_0_1_0::std::io::Result<Self> {
            ::ha_cover::__private_0_1_0::attach::<Self>(connection, ())
        }
        /// Stops covering (QNX's `ha_detach`): the connection as it is now.
        fn into_inner(self) -> ::ha_cover::__private_0_1_0::std::fs::File {
            self.0.into_inner()
        }
        /// Stops covering: the connection, and the handle when this was the last
        /// of its dups.
        fn into_parts(
            self,
        ) -> (
            ::ha_cover::__private_0_1_0::std::fs::File,
            ::ha_cover::__private_0_1_0::Option<()>,
        ) {
            self.0.into_parts()
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::std::ops::Deref for Journal {
        type Target = ::ha_cover::__private_0_1_0::TypedCover<Journal>;
        #[inline]
        fn deref(&self) -> &::ha_cover::__private_0_1_0::TypedCover<Journal> {
            &self.0
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::std::ops::DerefMut for Journal {
        #[inline]
        fn deref_mut(
            &mut self,
        ) -> &mut ::ha_cover::__private_0_1_0::TypedCover<Journal> {
            &mut self.0
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::std::fmt::Debug for Journal {
        fn fmt(
            &self,
            __f: &mut ::ha_cover::__private_0_1_0::std::fmt::Formatter<'_>,
        ) -> ::ha_cover::__private_0_1_0::std::fmt::Result {
            ::ha_cover::__private_0_1_0::std::fmt::Debug::fmt(&self.0, __f)
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::std::io::Write for Journal {
        #[inline]
        fn write(
            &mut self,
            __buf: &[u8],
        ) -> ::ha_cover::__private_0_1_0::std::io::Result<usize> {
            self.0.write(__buf)
        }
        #[inline]
        fn write_vectored(
            &mut self,
            __bufs: &[::ha_cover::__private_0_1_0::std::io::IoSlice<'_>],
        ) -> ::ha_cover::__private_0_1_0::std::io::Result<usize> {
            self.0.write_vectored(__bufs)
        }
        #[inline]
        fn flush(&mut self) -> ::ha_cover::__private_0_1_0::std::io::Result<()> {
            self.0.flush()
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::std::os::fd::AsFd for Journal {
        fn as_fd(&self) -> ::ha_cover::__private_0_1_0::std::os::fd::BorrowedFd<'_> {
            ::ha_cover::__private_0_1_0::std::os::fd::AsFd::as_fd(self.0.get_ref())
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::std::os::fd::AsRawFd for Journal {
        fn as_raw_fd(&self) -> ::ha_cover::__private_0_1_0::std::os::fd::RawFd {
            ::ha_cover::__private_0_1_0::std::os::fd::AsRawFd::as_raw_fd(
                self.0.get_ref(),
            )
        }
    }
    impl Journal {
        #[doc(hidden)]
        #[allow(unused_variables)]
        fn connect<A>(addr: A) -> ::ha_cover::__private_0_1_0::std::io::Result<Self>
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
    impl ::ha_cover::__private_0_1_0::std::io::Read for Journal
    where
        for<'x> ::ha_cover::__private_0_1_0::mode::append: ::ha_cover::__private_0_1_0::Reads<
            Journal,
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
    impl ::ha_cover::__private_0_1_0::std::io::Seek for Journal
    where
        for<'x> ::ha_cover::__private_0_1_0::mode::append: ::ha_cover::__private_0_1_0::HasPosition<
            Journal,
        >,
    {
        fn seek(
            &mut self,
            __pos: ::ha_cover::__private_0_1_0::std::io::SeekFrom,
        ) -> ::ha_cover::__private_0_1_0::std::io::Result<u64> {
            ::ha_cover::__private_0_1_0::std::unreachable!()
        }
    }
    ::ha_cover::__private_0_1_0::if_tokio! {
        #[automatically_derived]
        #[doc(hidden)]
        impl ::ha_cover::__private_0_1_0::asynchronous::AsyncRead for Journal
        where
            for<'x> ::ha_cover::__private_0_1_0::kind::file: ::ha_cover::__private_0_1_0::Asynchronous<
                Journal,
            >,
        {
            fn poll_read(
                self: ::ha_cover::__private_0_1_0::asynchronous::Pin<&mut Self>,
                __cx: &mut ::ha_cover::__private_0_1_0::asynchronous::Context<'_>,
                __buf: &mut ::ha_cover::__private_0_1_0::asynchronous::ReadBuf<'_>,
            ) -> ::ha_cover::__private_0_1_0::asynchronous::Poll<
                ::ha_cover::__private_0_1_0::std::io::Result<()>,
            > {
                ::ha_cover::__private_0_1_0::std::unreachable!()
            }
        }
        #[automatically_derived]
        #[doc(hidden)]
        impl ::ha_cover::__private_0_1_0::asynchronous::AsyncWrite for Journal
        where
            for<'x> ::ha_cover::__private_0_1_0::kind::file: ::ha_cover::__private_0_1_0::Asynchronous<
                Journal,
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
    }
};
