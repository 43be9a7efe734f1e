#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[automatically_derived]
    impl ::ha_cover::__private::Recoverable for Session {
        const OBSERVES_TRANSFERS: bool = false;
        #[inline]
        fn on_recovered(&mut self) {
            <u64 as ::ha_cover::__private::RecoveriesField>::count(&mut self.failovers);
        }
    }
    #[automatically_derived]
    impl<C: ::ha_cover::__private::ReconnectTarget> ::ha_cover::__private::Recovers<C>
    for Session
    where
        Self: ::ha_cover::__private::Recoverable,
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
                <Option<
                    SocketAddr,
                > as ::ha_cover::__private::AddrField>::peer(&self.primary)?,
                self,
                discover,
                |fresh, handle: &mut Self| {
                    let after: fn(
                        &mut C,
                        &mut Self,
                    ) -> ::ha_cover::__private::Result<(), _> = handshake;
                    ::ha_cover::__private::after(after, fresh, handle)
                },
            )?;
            <Option<
                SocketAddr,
            > as ::ha_cover::__private::AddrField>::keep(&mut self.primary, &peer)?;
            ::ha_cover::__private::Ok(fresh)
        }
    }
    ::ha_cover::__private::if_tokio! {
        #[automatically_derived]
        impl<
            C: ::ha_cover::__private::asynchronous::AsyncReconnectTarget,
        > ::ha_cover::__private::asynchronous::AsyncRecovers<C> for Session
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
                    let (fresh, peer) = ::ha_cover::__private::asynchronous::discover::<
                        C,
                        Self,
                        _,
                        _,
                        _,
                        _,
                    >(
                            failure,
                            <Option<
                                SocketAddr,
                            > as ::ha_cover::__private::AddrField>::peer(&self.primary)?,
                            self,
                            sentinel::primary_async,
                            |fresh, handle: &mut Self| ::ha_cover::__private::asynchronous::after::<
                                C,
                                Self,
                                _,
                                _,
                            >(handshake_async, fresh, handle),
                        )
                        .await?;
                    <Option<
                        SocketAddr,
                    > as ::ha_cover::__private::AddrField>::keep(&mut self.primary, &peer)?;
                    ::ha_cover::__private::Ok(fresh)
                })
            }
        }
    }
    ::ha_cover::__private::require_tokio!("after_async");
    ::ha_cover::__private::require_tokio!("discover_async");
};
