#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[automatically_derived]
    impl ::ha_cover::__private::Recoverable for Resume {
        #[inline]
        fn on_transfer(&mut self, transfer: ::ha_cover::__private::Transfer<'_>) {
            <u64 as ::ha_cover::__private::OffsetField>::follow(
                &mut self.received,
                transfer,
            );
        }
    }
    #[automatically_derived]
    impl<C: ::ha_cover::__private::ReconnectTarget> ::ha_cover::__private::Recovers<C>
    for Resume
    where
        Self: ::ha_cover::__private::Recoverable,
    {
        fn recover(
            &mut self,
            failure: &::ha_cover::__private::Failure<'_, C>,
        ) -> ::ha_cover::__private::Result<C, ::ha_cover::__private::AttemptError> {
            let fresh = ::ha_cover::__private::reconnect(
                failure,
                <Option<
                    SocketAddr,
                > as ::ha_cover::__private::AddrField>::peer(&self.replica)?,
            )?;
            let after: fn(&mut C, &mut Self) -> ::ha_cover::__private::Result<(), _> = protocol::resume;
            ::ha_cover::__private::after(after, fresh, self)
        }
    }
};
