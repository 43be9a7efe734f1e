#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[automatically_derived]
    impl<T> ::ha_cover::__private_0_1_0::Recoverable for Handle<T>
    where
        Self: ::ha_cover::__private_0_1_0::Send + 'static,
    {}
    #[automatically_derived]
    impl<
        T,
        C: ::ha_cover::__private_0_1_0::Connection,
    > ::ha_cover::__private_0_1_0::HandleRecovery<C> for Handle<T>
    where
        Self: ::ha_cover::__private_0_1_0::Send + 'static,
    {
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
            T,
            C: ::ha_cover::__private_0_1_0::asynchronous::AsyncConnection,
        > ::ha_cover::__private_0_1_0::asynchronous::AsyncHandleRecovery<C> for Handle<T>
        where
            Self: ::ha_cover::__private_0_1_0::Send + 'static,
        {
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
    "unknown key `atfer` in `#[recoverable(...)]`; did you mean `after`? expected `strategy`, `with`, `with_async`, `after`, `after_async`, `on_connect`, `discover`, `discover_async`, `connection` or `crate`"
}
::core::compile_error! {
    "unknown role `ofset` in `#[ha(...)]`; did you mean `offset`? expected `offset`, `recoveries`, `path` or `addr`"
}
::core::compile_error! {
    "a handle has one `#[ha(recoveries)]` field, and `nr` is already it; remove this `#[ha(recoveries)]`"
}
