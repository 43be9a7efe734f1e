#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[inline]
    #[allow(dead_code)]
    fn ha_cover_recoveries_field<'field>(
        handle: &'field mut Failover,
    ) -> &'field mut impl ::ha_cover::__private::RecoveriesField {
        &mut handle.1
    }
    #[inline]
    #[allow(dead_code)]
    fn ha_cover_path_field<'field>(
        handle: &'field mut Failover,
    ) -> &'field mut impl ::ha_cover::__private::PathField {
        &mut handle.0
    }
    #[automatically_derived]
    impl ::ha_cover::__private::Recoverable for Failover {
        const OBSERVES_TRANSFERS: bool = false;
        #[inline]
        fn on_recovered(&mut self) {
            ::ha_cover::__private::RecoveriesField::count(
                ha_cover_recoveries_field(self),
            );
        }
    }
    #[automatically_derived]
    impl<C: ::ha_cover::__private::ReopenTarget> ::ha_cover::__private::Recovers<C>
    for Failover
    where
        for<'x> Self: ::ha_cover::__private::Recoverable,
    {
        fn recover(
            &mut self,
            failure: &::ha_cover::__private::Failure<'_, C>,
        ) -> ::ha_cover::__private::Result<C, ::ha_cover::__private::AttemptError> {
            let fresh = ::ha_cover::__private::reopen(
                failure,
                ::ha_cover::__private::PathField::path(&*ha_cover_path_field(self)),
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
                    let fresh = ::ha_cover::__private::asynchronous::reopen(
                            failure,
                            ::ha_cover::__private::PathField::path(&*ha_cover_path_field(self)),
                        )
                        .await?;
                    ::ha_cover::__private::Ok(fresh)
                })
            }
        }
    }
};
