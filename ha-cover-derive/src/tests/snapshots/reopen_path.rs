#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[automatically_derived]
    impl ::ha_cover::__private::Recoverable for Failover {
        const OBSERVES_TRANSFERS: bool = false;
        #[inline]
        fn on_recovered(&mut self) {
            <u64 as ::ha_cover::__private::RecoveriesField>::count(&mut self.1);
        }
    }
    #[automatically_derived]
    impl<C: ::ha_cover::__private::ReopenTarget> ::ha_cover::__private::Recovers<C>
    for Failover
    where
        Self: ::ha_cover::__private::Recoverable,
    {
        fn recover(
            &mut self,
            failure: &::ha_cover::__private::Failure<'_, C>,
        ) -> ::ha_cover::__private::Result<C, ::ha_cover::__private::AttemptError> {
            let fresh = ::ha_cover::__private::reopen(
                failure,
                <Option<PathBuf> as ::ha_cover::__private::PathField>::path(&self.0),
            )?;
            ::ha_cover::__private::Ok(fresh)
        }
    }
    ::ha_cover::__private::if_tokio! {
        #[automatically_derived]
        impl<
            C: ::ha_cover::__private::asynchronous::AsyncReopenTarget,
        > ::ha_cover::__private::asynchronous::AsyncRecovers<C> for Failover
        where
            Self: ::ha_cover::__private::Recoverable,
        {
            fn recover<'a>(
                &'a mut self,
                failure: &'a ::ha_cover::__private::asynchronous::AsyncFailure<'a, C>,
            ) -> ::ha_cover::__private::asynchronous::BoxFuture<
                'a,
                ::ha_cover::__private::Result<C, ::ha_cover::__private::AttemptError>,
            > {
                ::ha_cover::__private::std::boxed::Box::pin(async move {
                    let fresh = ::ha_cover::__private::asynchronous::reopen(
                            failure,
                            <Option<PathBuf> as ::ha_cover::__private::PathField>::path(&self.0),
                        )
                        .await?;
                    ::ha_cover::__private::Ok(fresh)
                })
            }
        }
    }
};
