#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::Recoverable for Session {
        const OBSERVES_TRANSFERS: bool = false;
    }
    ::ha_cover::__private_0_1_0::if_tokio! {
        #[automatically_derived]
        impl<
            C: ::ha_cover::__private_0_1_0::asynchronous::AsyncReconnectTarget,
        > ::ha_cover::__private_0_1_0::asynchronous::AsyncHandleRecovery<C> for Session
        where
            for<'x> Self: ::ha_cover::__private_0_1_0::Recoverable,
        {
            fn recover<'a>(
                &'a mut self,
                failure: &'a ::ha_cover::__private_0_1_0::asynchronous::AsyncFailure<'a, C>,
            ) -> ::ha_cover::__private_0_1_0::asynchronous::BoxFuture<
                'a,
                ::ha_cover::__private_0_1_0::Result<C, ::ha_cover::__private_0_1_0::AttemptError>,
            > {
                ::ha_cover::__private_0_1_0::std::boxed::Box::pin(async move {
                    let (fresh, peer) = ::ha_cover::__private_0_1_0::asynchronous::discover::<
                        C,
                        Self,
                        _,
                        _,
                        _,
                        _,
                    >(
                            failure,
                            ::ha_cover::__private_0_1_0::None,
                            self,
                            srv::lookup,
                            ::ha_cover::__private_0_1_0::asynchronous::as_is,
                        )
                        .await?;
                    ::ha_cover::__private_0_1_0::Ok(fresh)
                })
            }
        }
    }
    ::ha_cover::__private_0_1_0::require_tokio!("discover_async");
};
