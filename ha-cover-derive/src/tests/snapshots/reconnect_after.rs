#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[inline]
    #[allow(dead_code)]
    fn ha_cover_offset_field<'field>(
        handle: &'field mut Resume,
    ) -> &'field mut impl ::ha_cover::__private::OffsetField {
        &mut handle.received
    }
    #[inline]
    #[allow(dead_code)]
    fn ha_cover_addr_field<'field>(
        handle: &'field mut Resume,
    ) -> &'field mut impl ::ha_cover::__private::AddrField {
        &mut handle.replica
    }
    #[automatically_derived]
    impl ::ha_cover::__private::Recoverable for Resume {
        #[inline]
        fn on_transfer(&mut self, transfer: ::ha_cover::__private::Transfer<'_>) {
            ::ha_cover::__private::OffsetField::follow(
                ha_cover_offset_field(self),
                transfer,
            );
        }
    }
    #[automatically_derived]
    impl<C: ::ha_cover::__private::ReconnectTarget> ::ha_cover::__private::Recovers<C>
    for Resume
    where
        for<'x> Self: ::ha_cover::__private::Recoverable,
    {
        fn recover(
            &mut self,
            failure: &::ha_cover::__private::Failure<'_, C>,
        ) -> ::ha_cover::__private::Result<C, ::ha_cover::__private::AttemptError> {
            let fresh = ::ha_cover::__private::reconnect(
                failure,
                ::ha_cover::__private::AddrField::peer(&*ha_cover_addr_field(self))?,
            )?;
            let mut fresh = fresh;
            ::ha_cover::__private::after::<
                C,
                Self,
                _,
                _,
                _,
                _,
            >(protocol::resume, &mut fresh, self)?;
            ::ha_cover::__private::Ok(fresh)
        }
    }
};
