#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[automatically_derived]
    impl ::ha_cover::__private::Recoverable for Handle {
        #[inline]
        fn on_transfer(&mut self, transfer: ::ha_cover::__private::Transfer<'_>) {
            <u64 as ::ha_cover::__private::OffsetField>::follow(
                &mut self.offset,
                transfer,
            );
        }
    }
};
