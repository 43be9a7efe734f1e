#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[inline]
    #[allow(dead_code)]
    fn ha_cover_offset_field<'field>(
        handle: &'field mut Handle,
    ) -> &'field mut impl ::ha_cover::__private::OffsetField {
        &mut handle.curr_offset
    }
    #[inline]
    #[allow(dead_code)]
    fn ha_cover_recoveries_field<'field>(
        handle: &'field mut Handle,
    ) -> &'field mut impl ::ha_cover::__private::RecoveriesField {
        &mut handle.nr
    }
    #[automatically_derived]
    impl ::ha_cover::__private::Recoverable for Handle {
        #[inline]
        fn on_transfer(&mut self, transfer: ::ha_cover::__private::Transfer<'_>) {
            ::ha_cover::__private::OffsetField::follow(
                ha_cover_offset_field(self),
                transfer,
            );
        }
        #[inline]
        fn on_recovered(&mut self) {
            ::ha_cover::__private::RecoveriesField::count(
                ha_cover_recoveries_field(self),
            );
        }
    }
    #[automatically_derived]
    impl<C: ::ha_cover::__private::ReopenSeekTarget> ::ha_cover::__private::Recovers<C>
    for Handle
    where
        for<'x> Self: ::ha_cover::__private::Recoverable,
    {
        fn recover(
            &mut self,
            failure: &::ha_cover::__private::Failure<'_, C>,
        ) -> ::ha_cover::__private::Result<C, ::ha_cover::__private::AttemptError> {
            let position = ::ha_cover::__private::OffsetField::position(
                &*ha_cover_offset_field(self),
            )?;
            let fresh = ::ha_cover::__private::reopen_seek(
                failure,
                ::ha_cover::__private::None,
                position,
            )?;
            ::ha_cover::__private::Ok(fresh)
        }
    }
    ::ha_cover::__private::if_tokio! {
        #[automatically_derived]
        impl<
            C: ::ha_cover::__private::asynchronous::AsyncReopenSeekTarget,
        > ::ha_cover::__private::asynchronous::AsyncRecovers<C> for Handle
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
                    let position = ::ha_cover::__private::OffsetField::position(
                        &*ha_cover_offset_field(self),
                    )?;
                    let fresh = ::ha_cover::__private::asynchronous::reopen_seek(
                            failure,
                            ::ha_cover::__private::None,
                            position,
                        )
                        .await?;
                    ::ha_cover::__private::Ok(fresh)
                })
            }
        }
    }
};
