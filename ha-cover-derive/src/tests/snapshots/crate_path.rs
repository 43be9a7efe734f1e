#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    use my_runtime::ha as __ha_cover;
    #[automatically_derived]
    impl __ha_cover::__private::Recoverable for Session
    where
        Self: __ha_cover::__private::Send + 'static,
    {
        const OBSERVES_TRANSFERS: bool = false;
    }
    #[automatically_derived]
    impl<C: __ha_cover::__private::ReconnectTarget> __ha_cover::__private::Recovers<C>
    for Session
    where
        Self: __ha_cover::__private::Send + 'static,
    {
        fn recover(
            &mut self,
            failure: &__ha_cover::__private::Failure<'_, C>,
        ) -> __ha_cover::__private::Result<C, __ha_cover::__private::AttemptError> {
            let fresh = __ha_cover::__private::reconnect(
                failure,
                __ha_cover::__private::None,
            )?;
            __ha_cover::__private::Ok(fresh)
        }
    }
    __ha_cover::__private::if_tokio! {
        #[automatically_derived]
        impl<
            C: __ha_cover::__private::asynchronous::AsyncReconnectTarget,
        > __ha_cover::__private::asynchronous::AsyncRecovers<C> for Session
        where
            Self: __ha_cover::__private::Send + 'static,
        {
            fn recover<'__ha_recovery>(
                &'__ha_recovery mut self,
                failure: &'__ha_recovery __ha_cover::__private::asynchronous::AsyncFailure<
                    '__ha_recovery,
                    C,
                >,
            ) -> __ha_cover::__private::asynchronous::BoxFuture<
                '__ha_recovery,
                __ha_cover::__private::Result<C, __ha_cover::__private::AttemptError>,
            > {
                __ha_cover::__private::std::boxed::Box::pin(async move {
                    let fresh = __ha_cover::__private::asynchronous::reconnect(
                            failure,
                            __ha_cover::__private::None,
                        )
                        .await?;
                    __ha_cover::__private::Ok(fresh)
                })
            }
        }
    }
};
