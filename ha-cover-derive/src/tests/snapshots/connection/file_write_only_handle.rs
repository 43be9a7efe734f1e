/// A typed cover declared `#[ha_connection(file, mode = write_only, ...)]`: it derefs to `ha_cover::typed::TypedCover`, where its methods are.
struct Output(::ha_cover::__private_0_1_0::TypedCover<Output>);
#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    type Handle = Position;
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::Declaration for Output {
        type Connection = ::ha_cover::__private_0_1_0::std::fs::File;
        type Handle = Handle;
        type Kind = ::ha_cover::__private_0_1_0::kind::file;
        type Mode = ::ha_cover::__private_0_1_0::mode::write_only;
        const NAME: &'static str = "Output";
        fn policy() -> ::ha_cover::__private_0_1_0::Builder {
            ::ha_cover::__private_0_1_0::Builder::new()
        }
        fn recover(
            __failure: &::ha_cover::__private_0_1_0::Failure<
                '_,
                ::ha_cover::__private_0_1_0::std::fs::File,
            >,
            __handle: &mut Handle,
        ) -> ::ha_cover::__private_0_1_0::Result<
            ::ha_cover::__private_0_1_0::std::fs::File,
            ::ha_cover::__private_0_1_0::AttemptError,
        > {
            ::ha_cover::__private_0_1_0::by_handle::<
                ::ha_cover::__private_0_1_0::std::fs::File,
                Handle,
            >(__failure, __handle)
        }
        fn from_typed(__typed: ::ha_cover::__private_0_1_0::TypedCover<Self>) -> Self {
            Self(__typed)
        }
    }
    #[allow(dead_code)]
    fn recovery_fits_the_mode() {
        use ::ha_cover::__private_0_1_0::{
            ProbeFine as _, ProbeGeneric as _, ProbeSeeksBack as _,
        };
        ::ha_cover::__private_0_1_0::check_writer::<
            Output,
            Handle,
            _,
        >((&&&::ha_cover::__private_0_1_0::StrategyProbe::<Handle>::new()).verdict());
    }
    impl Output {
        /// Opens the existing file at `path` for writing (`mode = write_only`) and covers it, with the client's handle (QNX's `ha_open`). Recovery follows the declaration.
        fn open(
            path: impl ::ha_cover::__private_0_1_0::std::convert::AsRef<
                ::ha_cover::__private_0_1_0::std::path::Path,
            >,
            handle: Handle,
        ) -> ::ha_cover::__private_0_1_0::std::io::Result<Self> {
            ::ha_cover::__private_0_1_0::open::<Self>(path, handle)
        }
        /// Opens `path` with `options` and covers it, with the client's handle. The options must give the access `mode = write_only` promises (an error says otherwise); recovery reopens with the same flags but never creates or truncates.
        fn open_with(
            path: impl ::ha_cover::__private_0_1_0::std::convert::AsRef<
                ::ha_cover::__private_0_1_0::std::path::Path,
            >,
            options: &::ha_cover::__private_0_1_0::std::fs::OpenOptions,
            handle: Handle,
        ) -> ::ha_cover::__private_0_1_0::std::io::Result<Self> {
            ::ha_cover::__private_0_1_0::open_with::<Self>(path, options, handle)
        }
        /// Opens `path` for writing (`mode = write_only`), creating it, or emptying it if it exists, and covers it, with the client's handle (QNX's `ha_creat`). Recovery never creates or truncates.
        fn create(
            path: impl ::ha_cover::__private_0_1_0::std::convert::AsRef<
                ::ha_cover::__private_0_1_0::std::path::Path,
            >,
            handle: Handle,
        ) -> ::ha_cover::__private_0_1_0::std::io::Result<Self> {
            ::ha_cover::__private_0_1_0::create::<Self>(path, handle)
        }
        /// Covers a connection that is already open (QNX's `ha_attach`), with the client's handle. The file must be open with the access `mode = write_only` promises; an error says otherwise.
        fn attach(
            connection: ::ha_cover::__private_0_1_0::std::fs::File,
            handle: Handle,
        ) -> ::ha_cover::__private_0_1_0::std::io::Result<Self> {
            ::ha_cover::__private_0_1_0::attach::<Self>(connection, handle)
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
            ::ha_cover::__private_0_1_0::Option<Handle>,
        ) {
            self.0.into_parts()
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::std::ops::Deref for Output {
        type Target = ::ha_cover::__private_0_1_0::TypedCover<Output>;
        #[inline]
        fn deref(&self) -> &::ha_cover::__private_0_1_0::TypedCover<Output> {
            &self.0
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::std::ops::DerefMut for Output {
        #[inline]
        fn deref_mut(&mut self) -> &mut ::ha_cover::__private_0_1_0::TypedCover<Output> {
            &mut self.0
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::std::fmt::Debug for Output {
        fn fmt(
            &self,
            __f: &mut ::ha_cover::__private_0_1_0::std::fmt::Formatter<'_>,
        ) -> ::ha_cover::__private_0_1_0::std::fmt::Result {
            ::ha_cover::__private_0_1_0::std::fmt::Debug::fmt(&self.0, __f)
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::std::io::Write for Output {
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
    impl ::ha_cover::__private_0_1_0::std::io::Seek for Output {
        #[inline]
        fn seek(
            &mut self,
            __pos: ::ha_cover::__private_0_1_0::std::io::SeekFrom,
        ) -> ::ha_cover::__private_0_1_0::std::io::Result<u64> {
            self.0.seek(__pos)
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::std::os::fd::AsFd for Output {
        fn as_fd(&self) -> ::ha_cover::__private_0_1_0::std::os::fd::BorrowedFd<'_> {
            ::ha_cover::__private_0_1_0::std::os::fd::AsFd::as_fd(self.0.get_ref())
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::std::os::fd::AsRawFd for Output {
        fn as_raw_fd(&self) -> ::ha_cover::__private_0_1_0::std::os::fd::RawFd {
            ::ha_cover::__private_0_1_0::std::os::fd::AsRawFd::as_raw_fd(
                self.0.get_ref(),
            )
        }
    }
    impl Output {
        #[doc(hidden)]
        #[allow(unused_variables)]
        fn connect<A>(
            addr: A,
            handle: Handle,
        ) -> ::ha_cover::__private_0_1_0::std::io::Result<Self>
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
    impl ::ha_cover::__private_0_1_0::std::io::Read for Output
    where
        for<'x> ::ha_cover::__private_0_1_0::mode::write_only: ::ha_cover::__private_0_1_0::Reads<
            Output,
        >,
    {
        fn read(
            &mut self,
            __buf: &mut [u8],
        ) -> ::ha_cover::__private_0_1_0::std::io::Result<usize> {
            ::ha_cover::__private_0_1_0::std::unreachable!()
        }
    }
    ::ha_cover::__private_0_1_0::if_tokio! {
        #[automatically_derived]
        #[doc(hidden)]
        impl ::ha_cover::__private_0_1_0::asynchronous::AsyncRead for Output
        where
            for<'x> ::ha_cover::__private_0_1_0::kind::file: ::ha_cover::__private_0_1_0::Asynchronous<
                Output,
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
        impl ::ha_cover::__private_0_1_0::asynchronous::AsyncWrite for Output
        where
            for<'x> ::ha_cover::__private_0_1_0::kind::file: ::ha_cover::__private_0_1_0::Asynchronous<
                Output,
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
