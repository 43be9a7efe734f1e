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
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::Recoverable for Handle {
        #[inline]
        fn on_transfer(&mut self, transfer: ::ha_cover::__private_0_1_0::Transfer<'_>) {
            ::ha_cover::__private_0_1_0::OffsetField::follow(
                ha_cover_offset_field(self),
                transfer,
            );
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::HandleRecovery<std::fs::File> for Handle
    where
        for<'x> Self: ::ha_cover::__private_0_1_0::Recoverable,
    {
        fn recover(
            &mut self,
            failure: &::ha_cover::__private_0_1_0::Failure<'_, std::fs::File>,
        ) -> ::ha_cover::__private_0_1_0::Result<
            std::fs::File,
            ::ha_cover::__private_0_1_0::AttemptError,
        > {
            let fresh = ::ha_cover::__private_0_1_0::with::<
                std::fs::File,
                Self,
                _,
                _,
                _,
                _,
            >(recover_conn, failure, self)?;
            ::ha_cover::__private_0_1_0::Ok(fresh)
        }
    }
};
