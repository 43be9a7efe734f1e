#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[inline]
    #[allow(dead_code)]
    fn ha_cover_offset_field<'field>(
        handle: &'field mut Handle,
    ) -> &'field mut impl ::ha_cover::__private_0_1_0::OffsetField {
        &mut handle.offset
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
};
