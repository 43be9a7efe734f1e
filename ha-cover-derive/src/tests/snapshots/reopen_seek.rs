#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[inline]
    #[allow(dead_code)]
    fn ha_cover_offset_field<'field>(
        handle: &'field mut Handle,
    ) -> &'field mut impl ::ha_cover::__private_0_1_0::OffsetField {
        &mut handle.curr_offset
    }
    #[inline]
    #[allow(dead_code)]
    fn ha_cover_recoveries_field<'field>(
        handle: &'field mut Handle,
    ) -> &'field mut impl ::ha_cover::__private_0_1_0::RecoveriesField {
        &mut handle.nr
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::Recoverable for Handle {
        #[inline]
        fn on_transfer(&mut self, transfer: ::ha_cover::__private_0_1_0::Transfer<'_>) {
            ::ha_cover::__private_0_1_0::OffsetField::follow(
                ha_cover_offset_field(self),
                transfer,
            );
        }
        #[inline]
        fn on_recovered(&mut self) {
            ::ha_cover::__private_0_1_0::RecoveriesField::count(
                ha_cover_recoveries_field(self),
            );
        }
    }
    #[automatically_derived]
    impl<
        C: ::ha_cover::__private_0_1_0::ReopenSeekTarget,
    > ::ha_cover::__private_0_1_0::HandleRecovery<C> for Handle
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
            let position = ::ha_cover::__private_0_1_0::OffsetField::position(
                &*ha_cover_offset_field(self),
            )?;
            let fresh = ::ha_cover::__private_0_1_0::reopen_seek(
                failure,
                ::ha_cover::__private_0_1_0::None,
                position,
            )?;
            ::ha_cover::__private_0_1_0::Ok(fresh)
        }
    }
    ::ha_cover::__private_0_1_0::if_tokio! {
        #[automatically_derived]
        impl<
            C: ::ha_cover::__private_0_1_0::asynchronous::AsyncReopenSeekTarget,
        > ::ha_cover::__private_0_1_0::asynchronous::AsyncHandleRecovery<C> for Handle
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
                    let position = ::ha_cover::__private_0_1_0::OffsetField::position(
                        &*ha_cover_offset_field(self),
                    )?;
                    let fresh = ::ha_cover::__private_0_1_0::asynchronous::reopen_seek(
                            failure,
                            ::ha_cover::__private_0_1_0::None,
                            position,
                        )
                        .await?;
                    ::ha_cover::__private_0_1_0::Ok(fresh)
                })
            }
        }
    }
};
