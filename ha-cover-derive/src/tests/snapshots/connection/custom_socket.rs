use runtime::ha::ha_cover_runtime_0_1_0 as ha_cover_runtime_for_Shipper;
/// A typed cover declared `#[ha_connection(socket, mode = write_only, ...)]`: it derefs to `ha_cover::typed::TypedCover`, where its methods are.
struct Shipper(ha_cover_runtime_for_Shipper::TypedCover<Shipper>);
#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[automatically_derived]
    impl ha_cover_runtime_for_Shipper::Declaration for Shipper {
        type Connection = my::Framed;
        type Handle = ();
        type Kind = ha_cover_runtime_for_Shipper::kind::socket;
        type Mode = ha_cover_runtime_for_Shipper::mode::write_only;
        const NAME: &'static str = "Shipper";
        fn policy() -> ha_cover_runtime_for_Shipper::Builder {
            ha_cover_runtime_for_Shipper::Builder::new()
                .write_policy(ha_cover_runtime_for_Shipper::WritePolicy::Always)
        }
        fn recover(
            __failure: &ha_cover_runtime_for_Shipper::Failure<'_, my::Framed>,
            __handle: &mut (),
        ) -> ha_cover_runtime_for_Shipper::Result<
            my::Framed,
            ha_cover_runtime_for_Shipper::AttemptError,
        > {
            ha_cover_runtime_for_Shipper::check_socket::<
                my::Framed,
                ha_cover_runtime_for_Shipper::mode::write_only,
                ha_cover_runtime_for_Shipper::KindIs<
                    { ha_cover_runtime_for_Shipper::is_file::<my::Framed>() },
                >,
            >();
            ha_cover_runtime_for_Shipper::with::<
                my::Framed,
                (),
                _,
                _,
                _,
                _,
            >(my::resume, __failure, __handle)
        }
        fn from_typed(__typed: ha_cover_runtime_for_Shipper::TypedCover<Self>) -> Self {
            Self(__typed)
        }
    }
    impl Shipper {
        /// Covers a connection that is already open (QNX's `ha_attach`).
        fn attach(
            connection: my::Framed,
        ) -> ha_cover_runtime_for_Shipper::std::io::Result<Self> {
            ha_cover_runtime_for_Shipper::attach::<Self>(connection, ())
        }
        /// Stops covering (QNX's `ha_detach`): the connection as it is now.
        fn into_inner(self) -> my::Framed {
            self.0.into_inner()
        }
        /// Stops covering: the connection, and the handle when this was the last
        /// of its dups.
        fn into_parts(self) -> (my::Framed, ha_cover_runtime_for_Shipper::Option<()>) {
            self.0.into_parts()
        }
    }
    #[automatically_derived]
    impl ha_cover_runtime_for_Shipper::std::ops::Deref for Shipper {
        type Target = ha_cover_runtime_for_Shipper::TypedCover<Shipper>;
        #[inline]
        fn deref(&self) -> &ha_cover_runtime_for_Shipper::TypedCover<Shipper> {
            &self.0
        }
    }
    #[automatically_derived]
    impl ha_cover_runtime_for_Shipper::std::ops::DerefMut for Shipper {
        #[inline]
        fn deref_mut(
            &mut self,
        ) -> &mut ha_cover_runtime_for_Shipper::TypedCover<Shipper> {
            &mut self.0
        }
    }
    #[automatically_derived]
    impl ha_cover_runtime_for_Shipper::std::fmt::Debug for Shipper {
        fn fmt(
            &self,
            __f: &mut ha_cover_runtime_for_Shipper::std::fmt::Formatter<'_>,
        ) -> ha_cover_runtime_for_Shipper::std::fmt::Result {
            ha_cover_runtime_for_Shipper::std::fmt::Debug::fmt(&self.0, __f)
        }
    }
    #[automatically_derived]
    impl<C> ha_cover_runtime_for_Shipper::std::io::Write for Shipper
    where
        Shipper: ha_cover_runtime_for_Shipper::Declaration<Connection = C>,
        C: ha_cover_runtime_for_Shipper::WriteConnection,
    {
        #[inline]
        fn write(
            &mut self,
            __buf: &[u8],
        ) -> ha_cover_runtime_for_Shipper::std::io::Result<usize> {
            self.0.write(__buf)
        }
        #[inline]
        fn write_vectored(
            &mut self,
            __bufs: &[ha_cover_runtime_for_Shipper::std::io::IoSlice<'_>],
        ) -> ha_cover_runtime_for_Shipper::std::io::Result<usize> {
            self.0.write_vectored(__bufs)
        }
        #[inline]
        fn flush(&mut self) -> ha_cover_runtime_for_Shipper::std::io::Result<()> {
            self.0.flush()
        }
    }
    impl Shipper {}
    #[automatically_derived]
    #[doc(hidden)]
    impl ha_cover_runtime_for_Shipper::std::io::Read for Shipper
    where
        for<'x> ha_cover_runtime_for_Shipper::mode::write_only: ha_cover_runtime_for_Shipper::Reads<
            Shipper,
        >,
    {
        fn read(
            &mut self,
            __buf: &mut [u8],
        ) -> ha_cover_runtime_for_Shipper::std::io::Result<usize> {
            ha_cover_runtime_for_Shipper::std::unreachable!()
        }
    }
    #[automatically_derived]
    #[doc(hidden)]
    impl ha_cover_runtime_for_Shipper::std::io::Seek for Shipper
    where
        for<'x> ha_cover_runtime_for_Shipper::kind::socket: ha_cover_runtime_for_Shipper::Seeks<
            Shipper,
        >,
    {
        fn seek(
            &mut self,
            __pos: ha_cover_runtime_for_Shipper::std::io::SeekFrom,
        ) -> ha_cover_runtime_for_Shipper::std::io::Result<u64> {
            ha_cover_runtime_for_Shipper::std::unreachable!()
        }
    }
    ha_cover_runtime_for_Shipper::if_tokio! {
        #[automatically_derived]
        #[doc(hidden)]
        impl ha_cover_runtime_for_Shipper::asynchronous::AsyncRead for Shipper
        where
            for<'x> ha_cover_runtime_for_Shipper::kind::socket: ha_cover_runtime_for_Shipper::Asynchronous<
                Shipper,
            >,
        {
            fn poll_read(
                self: ha_cover_runtime_for_Shipper::asynchronous::Pin<&mut Self>,
                __cx: &mut ha_cover_runtime_for_Shipper::asynchronous::Context<'_>,
                __buf: &mut ha_cover_runtime_for_Shipper::asynchronous::ReadBuf<'_>,
            ) -> ha_cover_runtime_for_Shipper::asynchronous::Poll<
                ha_cover_runtime_for_Shipper::std::io::Result<()>,
            > {
                ha_cover_runtime_for_Shipper::std::unreachable!()
            }
        }
        #[automatically_derived]
        #[doc(hidden)]
        impl ha_cover_runtime_for_Shipper::asynchronous::AsyncWrite for Shipper
        where
            for<'x> ha_cover_runtime_for_Shipper::kind::socket: ha_cover_runtime_for_Shipper::Asynchronous<
                Shipper,
            >,
        {
            fn poll_write(
                self: ha_cover_runtime_for_Shipper::asynchronous::Pin<&mut Self>,
                __cx: &mut ha_cover_runtime_for_Shipper::asynchronous::Context<'_>,
                __buf: &[u8],
            ) -> ha_cover_runtime_for_Shipper::asynchronous::Poll<
                ha_cover_runtime_for_Shipper::std::io::Result<usize>,
            > {
                ha_cover_runtime_for_Shipper::std::unreachable!()
            }
            fn poll_flush(
                self: ha_cover_runtime_for_Shipper::asynchronous::Pin<&mut Self>,
                __cx: &mut ha_cover_runtime_for_Shipper::asynchronous::Context<'_>,
            ) -> ha_cover_runtime_for_Shipper::asynchronous::Poll<
                ha_cover_runtime_for_Shipper::std::io::Result<()>,
            > {
                ha_cover_runtime_for_Shipper::std::unreachable!()
            }
            fn poll_shutdown(
                self: ha_cover_runtime_for_Shipper::asynchronous::Pin<&mut Self>,
                __cx: &mut ha_cover_runtime_for_Shipper::asynchronous::Context<'_>,
            ) -> ha_cover_runtime_for_Shipper::asynchronous::Poll<
                ha_cover_runtime_for_Shipper::std::io::Result<()>,
            > {
                ha_cover_runtime_for_Shipper::std::unreachable!()
            }
        }
    }
};
