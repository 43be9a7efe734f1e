#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[inline]
    #[allow(dead_code)]
    fn ha_cover_recoveries_field<'field>(
        handle: &'field mut Failover,
    ) -> &'field mut impl ::ha_cover::__private_0_1_0::RecoveriesField {
        &mut handle.1
    }
    #[inline]
    #[allow(dead_code)]
    fn ha_cover_path_field<'field>(
        handle: &'field mut Failover,
    ) -> &'field mut impl ::ha_cover::__private_0_1_0::PathField {
        &mut handle.0
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::Recoverable for Failover {
        const OBSERVES_TRANSFERS: bool = false;
        #[inline]
        fn on_recovered(&mut self) {
            ::ha_cover::__private_0_1_0::RecoveriesField::count(
                ha_cover_recoveries_field(self),
            );
        }
    }
    #[automatically_derived]
    impl<
        C: ::ha_cover::__private_0_1_0::ReopenTarget,
    > ::ha_cover::__private_0_1_0::HandleRecovery<C> for Failover
    where
        for<'x> Self: ::ha_cover::__private_0_1_0::Recoverable,
    {
        fn recover(
            &mut self,
            failure: &::ha_cover::__private_0_1_0::Failure<'_, C>,
        ) -> ::ha_cover::__private_0_1_0::Result<
            C,
            ::ha_cover::__private_0_1_0::AttemptError,
        > {
            let fresh = ::ha_cover::__private_0_1_0::reopen(
                failure,
                ::ha_cover::__private_0_1_0::PathField::path(&*ha_cover_path_field(self)),
            )?;
            ::ha_cover::__private_0_1_0::Ok(fresh)
        }
    }
    ::ha_cover::__private_0_1_0::if_tokio! {
        #[automatically_derived]
        impl<
            C: ::ha_cover::__private_0_1_0::asynchronous::AsyncReopenTarget,
        > ::ha_cover::__private_0_1_0::asynchronous::AsyncHandleRecovery<C> for Failover
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
                    let fresh = ::ha_cover::__private_0_1_0::asynchronous::reopen(
                            failure,
                            ::ha_cover::__private_0_1_0::PathField::path(
                                &*ha_cover_path_field(self),
                            ),
                        )
                        .await?;
                    ::ha_cover::__private_0_1_0::Ok(fresh)
                })
            }
        }
    }
};
