#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::Recoverable for Handle {}
    #[automatically_derived]
    impl<
        C: ::ha_cover::__private_0_1_0::Connection,
    > ::ha_cover::__private_0_1_0::HandleRecovery<C> for Handle {
        fn recover(
            &mut self,
            _: &::ha_cover::__private_0_1_0::Failure<'_, C>,
        ) -> ::ha_cover::__private_0_1_0::Result<
            C,
            ::ha_cover::__private_0_1_0::AttemptError,
        > {
            ::ha_cover::__private_0_1_0::std::unreachable!()
        }
    }
    ::ha_cover::__private_0_1_0::if_tokio! {
        #[automatically_derived]
        impl<
            C: ::ha_cover::__private_0_1_0::asynchronous::AsyncConnection,
        > ::ha_cover::__private_0_1_0::asynchronous::AsyncHandleRecovery<C> for Handle {
            fn recover<'a>(
                &'a mut self,
                _: &'a ::ha_cover::__private_0_1_0::asynchronous::AsyncFailure<'a, C>,
            ) -> ::ha_cover::__private_0_1_0::asynchronous::BoxFuture<
                'a,
                ::ha_cover::__private_0_1_0::Result<C, ::ha_cover::__private_0_1_0::AttemptError>,
            > {
                ::ha_cover::__private_0_1_0::std::unreachable!()
            }
        }
    }
};
::core::compile_error! {
    "`Recoverable` can only be derived for a struct: a handle is one set of fields kept up to date by the cover; put the enum in a field of a struct and derive on the struct"
}
