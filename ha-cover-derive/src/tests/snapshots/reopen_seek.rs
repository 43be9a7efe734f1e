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
        #[inline]
        fn on_recovered(&mut self) {
            <u32 as ::ha_cover::__private::RecoveriesField>::count(&mut self.nr);
        }
    }
    #[automatically_derived]
    impl<C: ::ha_cover::__private::ReopenSeekTarget> ::ha_cover::__private::Recovers<C>
    for Handle
    where
        Self: ::ha_cover::__private::Recoverable,
    {
        fn recover(
            &mut self,
            failure: &::ha_cover::__private::Failure<'_, C>,
        ) -> ::ha_cover::__private::Result<C, ::ha_cover::__private::AttemptError> {
            let fresh = ::ha_cover::__private::reopen_seek(
                failure,
                ::ha_cover::__private::None,
                <u64 as ::ha_cover::__private::OffsetField>::position(&self.curr_offset)?,
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
                    let fresh = ::ha_cover::__private::asynchronous::reopen_seek(
                            failure,
                            ::ha_cover::__private::None,
                            <u64 as ::ha_cover::__private::OffsetField>::position(
                                &self.curr_offset,
                            )?,
                        )
                        .await?;
                    ::ha_cover::__private::Ok(fresh)
                })
            }
        }
    }
};
