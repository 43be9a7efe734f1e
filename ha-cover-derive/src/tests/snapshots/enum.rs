#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[automatically_derived]
    impl ::ha_cover::__private::Recoverable for Handle {}
    #[automatically_derived]
    impl<C: ::ha_cover::__private::Connection> ::ha_cover::__private::Recovers<C>
    for Handle {
        fn recover(
            &mut self,
            _: &::ha_cover::__private::Failure<'_, C>,
        ) -> ::ha_cover::__private::Result<C, ::ha_cover::__private::AttemptError> {
            ::ha_cover::__private::std::unreachable!()
        }
    }
    ::ha_cover::__private::if_tokio! {
        #[automatically_derived]
        impl<
            C: ::ha_cover::__private::asynchronous::AsyncConnection,
        > ::ha_cover::__private::asynchronous::AsyncRecovers<C> for Handle {
            fn recover<'a>(
                &'a mut self,
                _: &'a ::ha_cover::__private::asynchronous::AsyncFailure<'a, C>,
            ) -> ::ha_cover::__private::asynchronous::BoxFuture<
                'a,
                ::ha_cover::__private::Result<C, ::ha_cover::__private::AttemptError>,
            > {
                ::ha_cover::__private::std::unreachable!()
            }
        }
    }
};
::core::compile_error! {
    "`Recoverable` can only be derived for a struct: a handle is one set of fields kept up to date by the cover; put the enum in a field of a struct and derive on the struct"
}
