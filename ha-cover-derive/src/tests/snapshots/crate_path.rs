#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[automatically_derived]
    impl my_runtime::ha::__private::Recoverable for Session
    where
        Self: my_runtime::ha::__private::Send + 'static,
    {
        const OBSERVES_TRANSFERS: bool = false;
    }
    #[automatically_derived]
    impl<
        C: my_runtime::ha::__private::ReconnectTarget,
    > my_runtime::ha::__private::Recovers<C> for Session
    where
        Self: my_runtime::ha::__private::Send + 'static,
    {
        fn recover(
            &mut self,
            failure: &my_runtime::ha::__private::Failure<'_, C>,
        ) -> my_runtime::ha::__private::Result<
            C,
            my_runtime::ha::__private::AttemptError,
        > {
            let fresh = my_runtime::ha::__private::reconnect(
                failure,
                my_runtime::ha::__private::None,
            )?;
            my_runtime::ha::__private::Ok(fresh)
        }
    }
    my_runtime::ha::__private::if_tokio! {
        #[automatically_derived]
        impl<
            C: my_runtime::ha::__private::asynchronous::AsyncReconnectTarget,
        > my_runtime::ha::__private::asynchronous::AsyncRecovers<C> for Session
        where
            Self: my_runtime::ha::__private::Send + 'static,
        {
            fn recover<'__ha_recovery>(
                &'__ha_recovery mut self,
                failure: &'__ha_recovery my_runtime::ha::__private::asynchronous::AsyncFailure<
                    '__ha_recovery,
                    C,
                >,
            ) -> my_runtime::ha::__private::asynchronous::BoxFuture<
                '__ha_recovery,
                my_runtime::ha::__private::Result<C, my_runtime::ha::__private::AttemptError>,
            > {
                my_runtime::ha::__private::std::boxed::Box::pin(async move {
                    let fresh = my_runtime::ha::__private::asynchronous::reconnect(
                            failure,
                            my_runtime::ha::__private::None,
                        )
                        .await?;
                    my_runtime::ha::__private::Ok(fresh)
                })
            }
        }
    }
};
