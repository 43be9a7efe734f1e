#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[automatically_derived]
    impl<'a, C: Clone, O> ::ha_cover::__private_0_1_0::Recoverable for Handle<'a, C, O>
    where
        O: Copy,
        Self: ::ha_cover::__private_0_1_0::Send + 'static,
        O: ::ha_cover::__private_0_1_0::OffsetField,
    {
        #[inline]
        fn on_transfer(&mut self, transfer: ::ha_cover::__private_0_1_0::Transfer<'_>) {
            <O as ::ha_cover::__private_0_1_0::OffsetField>::follow(
                &mut self.offset,
                transfer,
            );
        }
    }
    #[automatically_derived]
    impl<
        'a,
        C: Clone,
        O,
        Conn: ::ha_cover::__private_0_1_0::ReopenSeekTarget,
    > ::ha_cover::__private_0_1_0::HandleRecovery<Conn> for Handle<'a, C, O>
    where
        O: Copy,
        Self: ::ha_cover::__private_0_1_0::Send + 'static,
        O: ::ha_cover::__private_0_1_0::OffsetField,
    {
        fn recover(
            &mut self,
            failure: &::ha_cover::__private_0_1_0::Failure<'_, Conn>,
        ) -> ::ha_cover::__private_0_1_0::Result<
            Conn,
            ::ha_cover::__private_0_1_0::AttemptError,
        > {
            let position = <O as ::ha_cover::__private_0_1_0::OffsetField>::position(
                &self.offset,
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
            'a,
            C: Clone,
            O,
            Conn: ::ha_cover::__private_0_1_0::asynchronous::AsyncReopenSeekTarget,
        > ::ha_cover::__private_0_1_0::asynchronous::AsyncHandleRecovery<Conn>
        for Handle<'a, C, O>
        where
            O: Copy,
            Self: ::ha_cover::__private_0_1_0::Send + 'static,
            O: ::ha_cover::__private_0_1_0::OffsetField,
        {
            fn recover<'recovery>(
                &'recovery mut self,
                failure: &'recovery ::ha_cover::__private_0_1_0::asynchronous::AsyncFailure<
                    'recovery,
                    Conn,
                >,
            ) -> ::ha_cover::__private_0_1_0::asynchronous::BoxFuture<
                'recovery,
                ::ha_cover::__private_0_1_0::Result<
                    Conn,
                    ::ha_cover::__private_0_1_0::AttemptError,
                >,
            > {
                ::ha_cover::__private_0_1_0::std::boxed::Box::pin(async move {
                    let position = <O as ::ha_cover::__private_0_1_0::OffsetField>::position(
                        &self.offset,
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
