#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[inline]
    #[allow(dead_code)]
    fn ha_cover_offset_field<'field>(
        handle: &'field mut Resume,
    ) -> &'field mut impl ::ha_cover::__private_0_1_0::OffsetField {
        &mut handle.received
    }
    #[inline]
    #[allow(dead_code)]
    fn ha_cover_addr_field<'field>(
        handle: &'field mut Resume,
    ) -> &'field mut impl ::ha_cover::__private_0_1_0::AddrField {
        &mut handle.replica
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::Recoverable for Resume {
        #[inline]
        fn on_transfer(&mut self, transfer: ::ha_cover::__private_0_1_0::Transfer<'_>) {
            ::ha_cover::__private_0_1_0::OffsetField::follow(
                ha_cover_offset_field(self),
                transfer,
            );
        }
    }
    #[automatically_derived]
    impl<
        C: ::ha_cover::__private_0_1_0::ReconnectTarget,
    > ::ha_cover::__private_0_1_0::HandleRecovery<C> for Resume
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
            let fresh = ::ha_cover::__private_0_1_0::reconnect(
                failure,
                ::ha_cover::__private_0_1_0::AddrField::peer(
                    &*ha_cover_addr_field(self),
                )?,
            )?;
            let mut fresh = fresh;
            ::ha_cover::__private_0_1_0::after::<
                C,
                Self,
                _,
                _,
                _,
                _,
            >(protocol::resume, &mut fresh, self)?;
            ::ha_cover::__private_0_1_0::Ok(fresh)
        }
    }
};
