/// A typed cover declared `#[ha_connection(socket, mode = write_only, ...)]`: it derefs to `ha_cover::typed::TypedCover`, where its methods are.
struct Shipper(runtime::ha::__private::TypedCover<Shipper>);
#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[automatically_derived]
    impl runtime::ha::__private::Declaration for Shipper {
        type Connection = my::Framed;
        type Handle = ();
        type Kind = runtime::ha::__private::kind::socket;
        type Mode = runtime::ha::__private::mode::write_only;
        const NAME: &'static str = "Shipper";
        fn policy() -> runtime::ha::__private::Builder {
            runtime::ha::__private::Builder::new()
                .write_policy(runtime::ha::__private::WritePolicy::Always)
        }
        fn recover(
            __failure: &runtime::ha::__private::Failure<'_, my::Framed>,
            __handle: &mut (),
        ) -> runtime::ha::__private::Result<
            my::Framed,
            runtime::ha::__private::AttemptError,
        > {
            let __function: fn(
                &runtime::ha::__private::Failure<'_, my::Framed>,
                &mut (),
            ) -> runtime::ha::__private::Result<my::Framed, _> = my::resume;
            runtime::ha::__private::with(__function, __failure, __handle)
        }
        fn from_typed(__typed: runtime::ha::__private::TypedCover<Self>) -> Self {
            Self(__typed)
        }
    }
    const _: () = runtime::ha::__private::check_socket_kind::<my::Framed>();
    impl Shipper {
        /// Covers a connection that is already open (QNX's `ha_attach`).
        fn attach(
            connection: my::Framed,
        ) -> runtime::ha::__private::std::io::Result<Self> {
            runtime::ha::__private::attach::<Self>(connection, ())
        }
        /// Stops covering (QNX's `ha_detach`): the connection as it is now.
        fn into_inner(self) -> my::Framed {
            self.0.into_inner()
        }
        /// Stops covering: the connection, and the handle when this was the last
        /// of its dups.
        fn into_parts(self) -> (my::Framed, runtime::ha::__private::Option<()>) {
            self.0.into_parts()
        }
    }
    #[automatically_derived]
    impl runtime::ha::__private::std::ops::Deref for Shipper {
        type Target = runtime::ha::__private::TypedCover<Shipper>;
        #[inline]
        fn deref(&self) -> &runtime::ha::__private::TypedCover<Shipper> {
            &self.0
        }
    }
    #[automatically_derived]
    impl runtime::ha::__private::std::ops::DerefMut for Shipper {
        #[inline]
        fn deref_mut(&mut self) -> &mut runtime::ha::__private::TypedCover<Shipper> {
            &mut self.0
        }
    }
    #[automatically_derived]
    impl runtime::ha::__private::std::fmt::Debug for Shipper {
        fn fmt(
            &self,
            __f: &mut runtime::ha::__private::std::fmt::Formatter<'_>,
        ) -> runtime::ha::__private::std::fmt::Result {
            runtime::ha::__private::std::fmt::Debug::fmt(&self.0, __f)
        }
    }
    #[automatically_derived]
    impl runtime::ha::__private::std::io::Write for Shipper {
        #[inline]
        fn write(
            &mut self,
            __buf: &[u8],
        ) -> runtime::ha::__private::std::io::Result<usize> {
            self.0.write(__buf)
        }
        #[inline]
        fn write_vectored(
            &mut self,
            __bufs: &[runtime::ha::__private::std::io::IoSlice<'_>],
        ) -> runtime::ha::__private::std::io::Result<usize> {
            self.0.write_vectored(__bufs)
        }
        #[inline]
        fn flush(&mut self) -> runtime::ha::__private::std::io::Result<()> {
            self.0.flush()
        }
    }
};
