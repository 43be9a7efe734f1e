#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    use my_runtime::ha::ha_cover_runtime_0_1_0 as ha_cover_runtime;
    #[automatically_derived]
    impl ha_cover_runtime::Recoverable for Session {
        const OBSERVES_TRANSFERS: bool = false;
    }
    #[automatically_derived]
    impl<C: ha_cover_runtime::ReconnectTarget> ha_cover_runtime::HandleRecovery<C>
    for Session
    where
        for<'x> Self: ha_cover_runtime::Recoverable,
    {
        fn recover(
            &mut self,
            failure: &ha_cover_runtime::Failure<'_, C>,
        ) -> ha_cover_runtime::Result<C, ha_cover_runtime::AttemptError> {
            let fresh = ha_cover_runtime::reconnect(failure, ha_cover_runtime::None)?;
            ha_cover_runtime::Ok(fresh)
        }
    }
    ha_cover_runtime::if_tokio! {
        #[automatically_derived]
        impl<
            C: ha_cover_runtime::asynchronous::AsyncReconnectTarget,
        > ha_cover_runtime::asynchronous::AsyncHandleRecovery<C> for Session
        where
            for<'x> Self: ha_cover_runtime::Recoverable,
        {
            fn recover<'a>(
                &'a mut self,
                failure: &'a ha_cover_runtime::asynchronous::AsyncFailure<'a, C>,
            ) -> ha_cover_runtime::asynchronous::BoxFuture<
                'a,
                ha_cover_runtime::Result<C, ha_cover_runtime::AttemptError>,
            > {
                ha_cover_runtime::std::boxed::Box::pin(async move {
                    let fresh = ha_cover_runtime::asynchronous::reconnect(
                            failure,
                            ha_cover_runtime::None,
                        )
                        .await?;
                    ha_cover_runtime::Ok(fresh)
                })
            }
        }
    }
};
