/// A typed cover declared `#[ha_connection(socket, mode = write_only, ...)]`: it derefs to `ha_cover::typed::TypedCover`, where its methods are.
struct Shipper(runtime::ha::__private::TypedCover<Shipper>);
#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    use runtime::ha as __ha_cover;
    #[automatically_derived]
    impl __ha_cover::__private::Declaration for Shipper {
        type Connection = my::Framed;
        type Handle = ();
        type Kind = __ha_cover::__private::kind::socket;
        type Mode = __ha_cover::__private::mode::write_only;
        const NAME: &'static str = "Shipper";
        fn policy() -> __ha_cover::__private::Builder {
            __ha_cover::__private::Builder::new()
                .write_policy(__ha_cover::__private::WritePolicy::Always)
        }
        fn recover(
            __failure: &__ha_cover::__private::Failure<'_, my::Framed>,
            __handle: &mut (),
        ) -> __ha_cover::__private::Result<
            my::Framed,
            __ha_cover::__private::AttemptError,
        > {
            let __function: fn(
                &__ha_cover::__private::Failure<'_, my::Framed>,
                &mut (),
            ) -> __ha_cover::__private::Result<my::Framed, _> = my::resume;
            __ha_cover::__private::with(__function, __failure, __handle)
        }
        fn from_typed(__typed: __ha_cover::__private::TypedCover<Self>) -> Self {
            Self(__typed)
        }
    }
    const _: () = __ha_cover::__private::check_socket_kind::<my::Framed>();
    const _: () = __ha_cover::__private::check_writes::<my::Framed>();
    impl Shipper {
        /// Covers a connection that is already open (QNX's `ha_attach`).
        fn attach(
            connection: my::Framed,
        ) -> __ha_cover::__private::std::io::Result<Self> {
            __ha_cover::__private::attach::<Self>(connection, ())
        }
        /// Stops covering (QNX's `ha_detach`): the connection as it is now.
        fn into_inner(self) -> my::Framed {
            self.0.into_inner()
        }
        /// Stops covering: the connection, and the handle when this was the last
        /// of its dups.
        fn into_parts(self) -> (my::Framed, __ha_cover::__private::Option<()>) {
            self.0.into_parts()
        }
    }
    #[automatically_derived]
    impl __ha_cover::__private::std::ops::Deref for Shipper {
        type Target = __ha_cover::__private::TypedCover<Shipper>;
        #[inline]
        fn deref(&self) -> &__ha_cover::__private::TypedCover<Shipper> {
            &self.0
        }
    }
    #[automatically_derived]
    impl __ha_cover::__private::std::ops::DerefMut for Shipper {
        #[inline]
        fn deref_mut(&mut self) -> &mut __ha_cover::__private::TypedCover<Shipper> {
            &mut self.0
        }
    }
    #[automatically_derived]
    impl __ha_cover::__private::std::fmt::Debug for Shipper {
        fn fmt(
            &self,
            __f: &mut __ha_cover::__private::std::fmt::Formatter<'_>,
        ) -> __ha_cover::__private::std::fmt::Result {
            __ha_cover::__private::std::fmt::Debug::fmt(&self.0, __f)
        }
    }
    #[automatically_derived]
    impl<__C> __ha_cover::__private::std::io::Write for Shipper
    where
        Shipper: __ha_cover::__private::Declaration<Connection = __C>,
        __C: __ha_cover::__private::WriteConnection,
    {
        #[inline]
        fn write(
            &mut self,
            __buf: &[u8],
        ) -> __ha_cover::__private::std::io::Result<usize> {
            self.0.write(__buf)
        }
        #[inline]
        fn write_vectored(
            &mut self,
            __bufs: &[__ha_cover::__private::std::io::IoSlice<'_>],
        ) -> __ha_cover::__private::std::io::Result<usize> {
            self.0.write_vectored(__bufs)
        }
        #[inline]
        fn flush(&mut self) -> __ha_cover::__private::std::io::Result<()> {
            self.0.flush()
        }
    }
};
