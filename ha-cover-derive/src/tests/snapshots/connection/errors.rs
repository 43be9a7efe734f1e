/// A typed cover declared `#[ha_connection(unix, mode = read_write, ...)]`: it derefs to `ha_cover::typed::TypedCover`, where its methods are.
struct Echo(::ha_cover::__private_0_1_0::TypedCover<Echo>);
#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::Declaration for Echo {
        type Connection = ::ha_cover::__private_0_1_0::std::os::unix::net::UnixStream;
        type Handle = ();
        type Kind = ::ha_cover::__private_0_1_0::kind::unix;
        type Mode = ::ha_cover::__private_0_1_0::mode::read_write;
        const NAME: &'static str = "Echo";
        fn policy() -> ::ha_cover::__private_0_1_0::Builder {
            ::ha_cover::__private_0_1_0::Builder::new()
        }
        fn recover(
            __failure: &::ha_cover::__private_0_1_0::Failure<
                '_,
                ::ha_cover::__private_0_1_0::std::os::unix::net::UnixStream,
            >,
            __handle: &mut (),
        ) -> ::ha_cover::__private_0_1_0::Result<
            ::ha_cover::__private_0_1_0::std::os::unix::net::UnixStream,
            ::ha_cover::__private_0_1_0::AttemptError,
        > {
            ::ha_cover::__private_0_1_0::std::unreachable!()
        }
        fn from_typed(__typed: ::ha_cover::__private_0_1_0::TypedCover<Self>) -> Self {
            Self(__typed)
        }
    }
    impl Echo {
        /// Connects to the Unix socket at `path` and covers the stream. Recovery reconnects to the same path.
        fn connect(
            path: impl ::ha_cover::__private_0_1_0::std::convert::AsRef<
                ::ha_cover::__private_0_1_0::std::path::Path,
            >,
        ) -> ::ha_cover::__private_0_1_0::std::io::Result<Self> {
            ::ha_cover::__private_0_1_0::connect_unix::<Self>(path, ())
        }
        /// Covers a connection that is already open (QNX's `ha_attach`).
        fn attach(
            connection: ::ha_cover::__private_0_1_0::std::os::unix::net::UnixStream,
        ) -> ::ha_cover::__private_0_1_0::std::io::Result<Self> {
            ::ha_cover::__private_0_1_0::attach::<Self>(connection, ())
        }
        /// Stops covering (QNX's `ha_detach`): the connection as it is now.
        fn into_inner(
            self,
        ) -> ::ha_cover::__private_0_1_0::std::os::unix::net::UnixStream {
            self.0.into_inner()
        }
        /// Stops covering: the connection, and the handle when this was the last
        /// of its dups.
        fn into_parts(
            self,
        ) -> (
            ::ha_cover::__private_0_1_0::std::os::unix::net::UnixStream,
            ::ha_cover::__private_0_1_0::Option<()>,
        ) {
            self.0.into_parts()
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::std::ops::Deref for Echo {
        type Target = ::ha_cover::__private_0_1_0::TypedCover<Echo>;
        #[inline]
        fn deref(&self) -> &::ha_cover::__private_0_1_0::TypedCover<Echo> {
            &self.0
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::std::ops::DerefMut for Echo {
        #[inline]
        fn deref_mut(&mut self) -> &mut ::ha_cover::__private_0_1_0::TypedCover<Echo> {
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
    impl ::ha_cover::__private_0_1_0::std::io::Read for Echo {
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
    impl ::ha_cover::__private_0_1_0::std::io::Write for Echo {
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
    impl ::ha_cover::__private_0_1_0::std::io::Seek for Echo
    where
        for<'x> ::ha_cover::__private_0_1_0::kind::unix: ::ha_cover::__private_0_1_0::Seeks<
            Echo,
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
        impl ::ha_cover::__private_0_1_0::asynchronous::AsyncRead for Echo
        where
            for<'x> ::ha_cover::__private_0_1_0::kind::unix: ::ha_cover::__private_0_1_0::Asynchronous<
                Echo,
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
        impl ::ha_cover::__private_0_1_0::asynchronous::AsyncWrite for Echo
        where
            for<'x> ::ha_cover::__private_0_1_0::kind::unix: ::ha_cover::__private_0_1_0::Asynchronous<
                Echo,
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
::core::compile_error! {
    "unknown key `atempts` in `#[ha_connection(...)]`; did you mean `attempts`? expected `file`, `unix`, `tcp`, `socket`, `asynchronous`, `mode`, `handle`, `recovery`, `attempts`, `total`, `backoff`, `deadline`, `recover_on`, `eof_is_failure`, `write_policy`, `name` or `crate`"
}
::core::compile_error! {
    "`10` needs a unit: write `10ms` or `10s` (units: `ns`, `us`, `ms`, `s`, `min` or `h`)"
}
::core::compile_error! {
    "unknown errno name `ECONNRESTE`; did you mean `ECONNRESET`?"
}
::core::compile_error! {
    "`#[ha_connection]` implements what a connection can have itself (`Debug`, and `Read`, `Write`, `Seek` as its mode allows); remove `#[derive(...)]`"
}
::core::compile_error! {
    "`Echo` writes to a socket, and a write the server may have received before it died cannot be taken back: say what recovery sends again with `write_policy = never` (nothing; the caller is told it is indeterminate), `write_policy = always` (the failed write: the protocol is idempotent) or `write_policy = replay` (everything the server has not answered)"
}
