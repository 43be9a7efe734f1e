#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[inline]
    #[allow(dead_code)]
    fn ha_cover_recoveries_field<'field>(
        handle: &'field mut Session,
    ) -> &'field mut impl ::ha_cover::__private::RecoveriesField {
        &mut handle.failovers
    }
    #[inline]
    #[allow(dead_code)]
    fn ha_cover_addr_field<'field>(
        handle: &'field mut Session,
    ) -> &'field mut impl ::ha_cover::__private::AddrField {
        &mut handle.primary
    }
    #[automatically_derived]
    impl ::ha_cover::__private::Recoverable for Session {
        const OBSERVES_TRANSFERS: bool = false;
        #[inline]
        fn on_recovered(&mut self) {
            ::ha_cover::__private::RecoveriesField::count(
                ha_cover_recoveries_field(self),
            );
        }
    }
    #[automatically_derived]
    impl<C: ::ha_cover::__private::ReconnectTarget> ::ha_cover::__private::Recovers<C>
    for Session
    where
        for<'x> Self: ::ha_cover::__private::Recoverable,
    {
        fn recover(
            &mut self,
            failure: &::ha_cover::__private::Failure<'_, C>,
        ) -> ::ha_cover::__private::Result<C, ::ha_cover::__private::AttemptError> {
            let discover: fn(
                &::ha_cover::__private::Lookup<'_>,
                &mut Self,
            ) -> ::ha_cover::__private::Result<_, _> = sentinel::primary;
            let (fresh, peer) = ::ha_cover::__private::discover(
                failure,
                ::ha_cover::__private::AddrField::peer(&*ha_cover_addr_field(self))?,
                self,
                discover,
                |mut fresh, handle: &mut Self| {
                    ::ha_cover::__private::after::<
                        C,
                        Self,
                        _,
                        _,
                        _,
                        _,
                    >(handshake, &mut fresh, handle)?;
                    ::ha_cover::__private::Ok(fresh)
                },
            )?;
            ::ha_cover::__private::AddrField::keep(ha_cover_addr_field(self), &peer)?;
            ::ha_cover::__private::Ok(fresh)
        }
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
                            ::ha_cover::__private::AddrField::peer(&*ha_cover_addr_field(self))?,
                            self,
                            sentinel::primary_async,
                            |mut fresh, handle: &mut Self| {
                                ::ha_cover::__private::std::boxed::Box::pin(async move {
                                    ::ha_cover::__private::asynchronous::after::<
                                        C,
                                        Self,
                                        _,
                                        _,
                                        _,
                                        _,
                                    >(handshake_async, &mut fresh, handle)
                                        .await?;
                                    ::ha_cover::__private::Ok(fresh)
                                })
                            },
                        )
                        .await?;
                    ::ha_cover::__private::AddrField::keep(ha_cover_addr_field(self), &peer)?;
                    ::ha_cover::__private::Ok(fresh)
                })
            }
        }
    }
    ::ha_cover::__private::require_tokio!("after_async");
    ::ha_cover::__private::require_tokio!("discover_async");
};
