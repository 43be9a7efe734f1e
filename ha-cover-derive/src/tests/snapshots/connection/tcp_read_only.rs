/// A typed cover declared `#[ha_connection(tcp, mode = read_only, ...)]`: it derefs to `ha_cover::typed::TypedCover`, where its methods are.
struct Ticker(::ha_cover::__private_0_1_0::TypedCover<Ticker>);
#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::Declaration for Ticker {
        type Connection = ::ha_cover::__private_0_1_0::std::net::TcpStream;
        type Handle = ();
        type Kind = ::ha_cover::__private_0_1_0::kind::tcp;
        type Mode = ::ha_cover::__private_0_1_0::mode::read_only;
        const NAME: &'static str = "Ticker";
        fn policy() -> ::ha_cover::__private_0_1_0::Builder {
            ::ha_cover::__private_0_1_0::Builder::new()
                .backoff(::ha_cover::__private_0_1_0::Backoff::none())
                .triggers(
                    ::ha_cover::__private_0_1_0::Triggers::none()
                        .with(::ha_cover::__private_0_1_0::libc::ECONNRESET)
                        .with(::ha_cover::__private_0_1_0::libc::ETIMEDOUT),
                )
        }
        fn recover(
            __failure: &::ha_cover::__private_0_1_0::Failure<
                '_,
                ::ha_cover::__private_0_1_0::std::net::TcpStream,
            >,
            __handle: &mut (),
        ) -> ::ha_cover::__private_0_1_0::Result<
            ::ha_cover::__private_0_1_0::std::net::TcpStream,
            ::ha_cover::__private_0_1_0::AttemptError,
        > {
            ::ha_cover::__private_0_1_0::recover_reconnect::<
                ::ha_cover::__private_0_1_0::std::net::TcpStream,
                _,
            >(__failure, __handle)
        }
        fn from_typed(__typed: ::ha_cover::__private_0_1_0::TypedCover<Self>) -> Self {
            Self(__typed)
        }
    }
    impl Ticker {
        /// Connects to `addr` over TCP and covers the stream. Recovery reconnects to the address that accepted this connection.
        fn connect(
            addr: impl ::ha_cover::__private_0_1_0::std::net::ToSocketAddrs,
        ) -> ::ha_cover::__private_0_1_0::std::io::Result<Self> {
            ::ha_cover::__private_0_1_0::connect_tcp::<Self>(addr, ())
        }
        /// Covers a connection that is already open (QNX's `ha_attach`).
        fn attach(
            connection: ::ha_cover::__private_0_1_0::std::net::TcpStream,
        ) -> ::ha_cover::__private_0_1_0::std::io::Result<Self> {
            ::ha_cover::__private_0_1_0::attach::<Self>(connection, ())
        }
        /// Stops covering (QNX's `ha_detach`): the connection as it is now.
        fn into_inner(self) -> ::ha_cover::__private_0_1_0::std::net::TcpStream {
            self.0.into_inner()
        }
        /// Stops covering: the connection, and the handle when this was the last
        /// of its dups.
        fn into_parts(
            self,
        ) -> (
            ::ha_cover::__private_0_1_0::std::net::TcpStream,
            ::ha_cover::__private_0_1_0::Option<()>,
        ) {
            self.0.into_parts()
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::std::ops::Deref for Ticker {
        type Target = ::ha_cover::__private_0_1_0::TypedCover<Ticker>;
        #[inline]
        fn deref(&self) -> &::ha_cover::__private_0_1_0::TypedCover<Ticker> {
            &self.0
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::std::ops::DerefMut for Ticker {
        #[inline]
        fn deref_mut(&mut self) -> &mut ::ha_cover::__private_0_1_0::TypedCover<Ticker> {
            &mut self.0
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::std::fmt::Debug for Ticker {
        fn fmt(
            &self,
            __f: &mut ::ha_cover::__private_0_1_0::std::fmt::Formatter<'_>,
        ) -> ::ha_cover::__private_0_1_0::std::fmt::Result {
            ::ha_cover::__private_0_1_0::std::fmt::Debug::fmt(&self.0, __f)
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::std::io::Read for Ticker {
        #[inline]
        fn read(
            &mut self,
            __buf: &mut [u8],
        ) -> ::ha_cover::__private_0_1_0::std::io::Result<usize> {
            self.0.read(__buf)
        }
        #[inline]
        fn read_vectored(
            &mut self,
            __bufs: &mut [::ha_cover::__private_0_1_0::std::io::IoSliceMut<'_>],
        ) -> ::ha_cover::__private_0_1_0::std::io::Result<usize> {
            self.0.read_vectored(__bufs)
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::std::os::fd::AsFd for Ticker {
        fn as_fd(&self) -> ::ha_cover::__private_0_1_0::std::os::fd::BorrowedFd<'_> {
            ::ha_cover::__private_0_1_0::std::os::fd::AsFd::as_fd(self.0.get_ref())
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::std::os::fd::AsRawFd for Ticker {
        fn as_raw_fd(&self) -> ::ha_cover::__private_0_1_0::std::os::fd::RawFd {
            ::ha_cover::__private_0_1_0::std::os::fd::AsRawFd::as_raw_fd(
                self.0.get_ref(),
            )
        }
    }
    impl Ticker {}
    #[automatically_derived]
    #[doc(hidden)]
    impl ::ha_cover::__private_0_1_0::std::io::Write for Ticker
    where
        for<'x> ::ha_cover::__private_0_1_0::mode::read_only: ::ha_cover::__private_0_1_0::Writes<
            Ticker,
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
    #[automatically_derived]
    #[doc(hidden)]
    impl ::ha_cover::__private_0_1_0::std::io::Seek for Ticker
    where
        for<'x> ::ha_cover::__private_0_1_0::kind::tcp: ::ha_cover::__private_0_1_0::Seeks<
            Ticker,
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
        impl ::ha_cover::__private_0_1_0::asynchronous::AsyncRead for Ticker
        where
            for<'x> ::ha_cover::__private_0_1_0::kind::tcp: ::ha_cover::__private_0_1_0::Asynchronous<
                Ticker,
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
        impl ::ha_cover::__private_0_1_0::asynchronous::AsyncWrite for Ticker
        where
            for<'x> ::ha_cover::__private_0_1_0::kind::tcp: ::ha_cover::__private_0_1_0::Asynchronous<
                Ticker,
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
