#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[automatically_derived]
    impl ::ha_cover::__private::Recoverable for Handle {
        #[inline]
        fn on_transfer(&mut self, transfer: ::ha_cover::__private::Transfer<'_>) {
            <u64 as ::ha_cover::__private::OffsetField>::follow(
                &mut self.curr_offset,
                transfer,
            );
        }
    }
    #[automatically_derived]
    impl ::ha_cover::__private::Recovers<std::fs::File> for Handle
    where
        Self: ::ha_cover::__private::Recoverable,
    {
        fn recover(
            &mut self,
            failure: &::ha_cover::__private::Failure<'_, std::fs::File>,
        ) -> ::ha_cover::__private::Result<
            std::fs::File,
            ::ha_cover::__private::AttemptError,
        > {
            let function: fn(
                &::ha_cover::__private::Failure<'_, std::fs::File>,
                &mut Self,
            ) -> ::ha_cover::__private::Result<std::fs::File, _> = recover_conn;
            let fresh = ::ha_cover::__private::with(function, failure, self)?;
            ::ha_cover::__private::Ok(fresh)
        }
    }
};
