#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[automatically_derived]
    impl ::ha_cover::__private::Recoverable for Session {
        const OBSERVES_TRANSFERS: bool = false;
    }
    ::ha_cover::__private::if_tokio! {
        #[automatically_derived]
        impl<
            C: ::ha_cover::__private::asynchronous::AsyncReconnectTarget,
        > ::ha_cover::__private::asynchronous::AsyncRecovers<C> for Session
        where
            for<'x> Self: ::ha_cover::__private::Recoverable,
        {
            fn recover<'a>(
                &'a mut self,
                failure: &'a ::ha_cover::__private::asynchronous::AsyncFailure<'a, C>,
            ) -> ::ha_cover::__private::asynchronous::BoxFuture<
                'a,
                ::ha_cover::__private::Result<C, ::ha_cover::__private::AttemptError>,
            > {
                ::ha_cover::__private::std::boxed::Box::pin(async move {
                    let (fresh, peer) = ::ha_cover::__private::asynchronous::discover::<
                        C,
                        Self,
                        _,
                        _,
                        _,
                        _,
                    >(
                            failure,
                            ::ha_cover::__private::None,
                            self,
                            srv::lookup,
                            ::ha_cover::__private::asynchronous::as_is,
                        )
                        .await?;
                    ::ha_cover::__private::Ok(fresh)
                })
            }
        }
    }
    ::ha_cover::__private::require_tokio!("discover_async");
};
