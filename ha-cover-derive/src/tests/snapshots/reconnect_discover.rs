#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[inline]
    #[allow(dead_code)]
    fn ha_cover_recoveries_field<'field>(
        handle: &'field mut Session,
    ) -> &'field mut impl ::ha_cover::__private_0_1_0::RecoveriesField {
        &mut handle.failovers
    }
    #[inline]
    #[allow(dead_code)]
    fn ha_cover_addr_field<'field>(
        handle: &'field mut Session,
    ) -> &'field mut impl ::ha_cover::__private_0_1_0::AddrField {
        &mut handle.primary
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::Recoverable for Session {
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
        C: ::ha_cover::__private_0_1_0::ReconnectTarget,
    > ::ha_cover::__private_0_1_0::HandleRecovery<C> for Session
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
            let discover: fn(
                &::ha_cover::__private_0_1_0::Lookup<'_>,
                &mut Self,
            ) -> ::ha_cover::__private_0_1_0::Result<_, _> = sentinel::primary;
            let (fresh, peer) = ::ha_cover::__private_0_1_0::discover(
                failure,
                ::ha_cover::__private_0_1_0::AddrField::peer(
                    &*ha_cover_addr_field(self),
                )?,
                self,
                discover,
                |mut fresh, handle: &mut Self| {
                    ::ha_cover::__private_0_1_0::after::<
                        C,
                        Self,
                        _,
                        _,
                        _,
                        _,
                    >(handshake, &mut fresh, handle)?;
                    ::ha_cover::__private_0_1_0::Ok(fresh)
                },
            )?;
            ::ha_cover::__private_0_1_0::AddrField::keep(
                ha_cover_addr_field(self),
                &peer,
            )?;
            ::ha_cover::__private_0_1_0::Ok(fresh)
        }
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
                            ::ha_cover::__private_0_1_0::AddrField::peer(
                                &*ha_cover_addr_field(self),
                            )?,
                            self,
                            sentinel::primary_async,
                            |mut fresh, handle: &mut Self| {
                                ::ha_cover::__private_0_1_0::std::boxed::Box::pin(async move {
                                    ::ha_cover::__private_0_1_0::asynchronous::after::<
                                        C,
                                        Self,
                                        _,
                                        _,
                                        _,
                                        _,
                                    >(handshake_async, &mut fresh, handle)
                                        .await?;
                                    ::ha_cover::__private_0_1_0::Ok(fresh)
                                })
                            },
                        )
                        .await?;
                    ::ha_cover::__private_0_1_0::AddrField::keep(
                        ha_cover_addr_field(self),
                        &peer,
                    )?;
                    ::ha_cover::__private_0_1_0::Ok(fresh)
                })
            }
        }
    }
    ::ha_cover::__private_0_1_0::require_tokio!("after_async");
    ::ha_cover::__private_0_1_0::require_tokio!("discover_async");
};
