/// A typed cover declared `#[ha_connection(tcp, mode = read_only, ...)]`: it derefs to `ha_cover::typed::TypedCover`, where its methods are.
struct Ticker(::ha_cover::__private::TypedCover<Ticker>);
#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[automatically_derived]
    impl ::ha_cover::__private::Declaration for Ticker {
        type Connection = ::ha_cover::__private::std::net::TcpStream;
        type Handle = ();
        type Kind = ::ha_cover::__private::kind::tcp;
        type Mode = ::ha_cover::__private::mode::read_only;
        const NAME: &'static str = "Ticker";
        fn policy() -> ::ha_cover::__private::Builder {
            ::ha_cover::__private::Builder::new()
                .backoff(::ha_cover::__private::Backoff::none())
                .triggers(
                    ::ha_cover::__private::Triggers::none()
                        .with(::ha_cover::__private::libc::ECONNRESET)
                        .with(::ha_cover::__private::libc::ETIMEDOUT),
                )
        }
        fn recover(
            __failure: &::ha_cover::__private::Failure<
                '_,
                ::ha_cover::__private::std::net::TcpStream,
            >,
            __handle: &mut (),
        ) -> ::ha_cover::__private::Result<
            ::ha_cover::__private::std::net::TcpStream,
            ::ha_cover::__private::AttemptError,
        > {
            ::ha_cover::__private::recover_reconnect::<
                ::ha_cover::__private::std::net::TcpStream,
                _,
            >(__failure, __handle)
        }
        fn from_typed(__typed: ::ha_cover::__private::TypedCover<Self>) -> Self {
            Self(__typed)
        }
    }
    impl Ticker {
        /// Connects to `addr` over TCP and covers the stream. Recovery reconnects to the address that accepted this connection.
        fn connect(
            addr: impl ::ha_cover::__private::std::net::ToSocketAddrs,
        ) -> ::ha_cover::__private::std::io::Result<Self> {
            ::ha_cover::__private::connect_tcp::<Self>(addr, ())
        }
        /// Covers a connection that is already open (QNX's `ha_attach`).
        fn attach(
            connection: ::ha_cover::__private::std::net::TcpStream,
        ) -> ::ha_cover::__private::std::io::Result<Self> {
            ::ha_cover::__private::attach::<Self>(connection, ())
        }
        /// Stops covering (QNX's `ha_detach`): the connection as it is now.
        fn into_inner(self) -> ::ha_cover::__private::std::net::TcpStream {
            self.0.into_inner()
        }
        /// Stops covering: the connection, and the handle when this was the last
        /// of its dups.
        fn into_parts(
            self,
        ) -> (
            ::ha_cover::__private::std::net::TcpStream,
            ::ha_cover::__private::Option<()>,
        ) {
            self.0.into_parts()
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private::std::ops::Deref for Ticker {
        type Target = ::ha_cover::__private::TypedCover<Ticker>;
        #[inline]
        fn deref(&self) -> &::ha_cover::__private::TypedCover<Ticker> {
            &self.0
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private::std::ops::DerefMut for Ticker {
        #[inline]
        fn deref_mut(&mut self) -> &mut ::ha_cover::__private::TypedCover<Ticker> {
            &mut self.0
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private::std::fmt::Debug for Ticker {
        fn fmt(
            &self,
            __f: &mut ::ha_cover::__private::std::fmt::Formatter<'_>,
        ) -> ::ha_cover::__private::std::fmt::Result {
            ::ha_cover::__private::std::fmt::Debug::fmt(&self.0, __f)
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private::std::io::Read for Ticker {
        #[inline]
        fn read(
            &mut self,
            __buf: &mut [u8],
        ) -> ::ha_cover::__private::std::io::Result<usize> {
            self.0.read(__buf)
        }
        #[inline]
        fn read_vectored(
            &mut self,
            __bufs: &mut [::ha_cover::__private::std::io::IoSliceMut<'_>],
        ) -> ::ha_cover::__private::std::io::Result<usize> {
            self.0.read_vectored(__bufs)
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private::std::os::fd::AsFd for Ticker {
        fn as_fd(&self) -> ::ha_cover::__private::std::os::fd::BorrowedFd<'_> {
            ::ha_cover::__private::std::os::fd::AsFd::as_fd(self.0.get_ref())
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private::std::os::fd::AsRawFd for Ticker {
        fn as_raw_fd(&self) -> ::ha_cover::__private::std::os::fd::RawFd {
            ::ha_cover::__private::std::os::fd::AsRawFd::as_raw_fd(self.0.get_ref())
        }
    }
    impl Ticker {}
    #[automatically_derived]
    #[doc(hidden)]
    impl ::ha_cover::__private::std::io::Write for Ticker
    where
        for<'x> ::ha_cover::__private::mode::read_only: ::ha_cover::__private::Writes<
            Ticker,
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
    #[automatically_derived]
    #[doc(hidden)]
    impl ::ha_cover::__private::std::io::Seek for Ticker
    where
        for<'x> ::ha_cover::__private::kind::tcp: ::ha_cover::__private::Seeks<Ticker>,
    {
        fn seek(
            &mut self,
            __pos: ::ha_cover::__private::std::io::SeekFrom,
        ) -> ::ha_cover::__private::std::io::Result<u64> {
            ::ha_cover::__private::std::unreachable!()
        }
    }
    ::ha_cover::__private::if_tokio! {
        #[automatically_derived]
        #[doc(hidden)]
        impl ::ha_cover::__private::asynchronous::AsyncRead for Ticker
        where
            for<'x> ::ha_cover::__private::kind::tcp: ::ha_cover::__private::Asynchronous<
                Ticker,
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
        impl ::ha_cover::__private::asynchronous::AsyncWrite for Ticker
        where
            for<'x> ::ha_cover::__private::kind::tcp: ::ha_cover::__private::Asynchronous<
                Ticker,
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
    }
};
