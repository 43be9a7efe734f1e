#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[automatically_derived]
    impl<'a, C: Clone, O> ::ha_cover::__private::Recoverable for Handle<'a, C, O>
    where
        O: Copy,
        Self: ::ha_cover::__private::Send + 'static,
        O: ::ha_cover::__private::OffsetField,
    {
        #[inline]
        fn on_transfer(&mut self, transfer: ::ha_cover::__private::Transfer<'_>) {
            <O as ::ha_cover::__private::OffsetField>::follow(
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
        Conn: ::ha_cover::__private::ReopenSeekTarget,
    > ::ha_cover::__private::Recovers<Conn> for Handle<'a, C, O>
    where
        O: Copy,
        Self: ::ha_cover::__private::Send + 'static,
        O: ::ha_cover::__private::OffsetField,
    {
        fn recover(
            &mut self,
            failure: &::ha_cover::__private::Failure<'_, Conn>,
        ) -> ::ha_cover::__private::Result<Conn, ::ha_cover::__private::AttemptError> {
            let position = <O as ::ha_cover::__private::OffsetField>::position(
                &self.offset,
            )?;
            let fresh = ::ha_cover::__private::reopen_seek(
                failure,
                ::ha_cover::__private::None,
                position,
            )?;
            ::ha_cover::__private::Ok(fresh)
        }
    }
    ::ha_cover::__private::if_tokio! {
        #[automatically_derived]
        impl<
            'a,
            C: Clone,
            O,
            Conn: ::ha_cover::__private::asynchronous::AsyncReopenSeekTarget,
        > ::ha_cover::__private::asynchronous::AsyncRecovers<Conn> for Handle<'a, C, O>
        where
            O: Copy,
            Self: ::ha_cover::__private::Send + 'static,
            O: ::ha_cover::__private::OffsetField,
        {
            fn recover<'recovery>(
                &'recovery mut self,
                failure: &'recovery ::ha_cover::__private::asynchronous::AsyncFailure<
                    'recovery,
                    Conn,
                >,
            ) -> ::ha_cover::__private::asynchronous::BoxFuture<
                'recovery,
                ::ha_cover::__private::Result<Conn, ::ha_cover::__private::AttemptError>,
            > {
                ::ha_cover::__private::std::boxed::Box::pin(async move {
                    let position = <O as ::ha_cover::__private::OffsetField>::position(
                        &self.offset,
                    )?;
                    let fresh = ::ha_cover::__private::asynchronous::reopen_seek(
                            failure,
                            ::ha_cover::__private::None,
                            position,
                        )
                        .await?;
                    ::ha_cover::__private::Ok(fresh)
                })
            }
        }
    }
};
