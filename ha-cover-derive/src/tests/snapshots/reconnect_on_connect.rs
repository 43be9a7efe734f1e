#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::Recoverable for Session {
        const OBSERVES_TRANSFERS: bool = false;
        const ON_CONNECT: bool = true;
    }
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::HandleRecovery<UnixStream> for Session
    where
        for<'x> Self: ::ha_cover::__private_0_1_0::Recoverable,
        for<'x> UnixStream: ::ha_cover::__private_0_1_0::Connection,
    {
        fn recover(
            &mut self,
            failure: &::ha_cover::__private_0_1_0::Failure<'_, UnixStream>,
        ) -> ::ha_cover::__private_0_1_0::Result<
            UnixStream,
            ::ha_cover::__private_0_1_0::AttemptError,
        > {
            let fresh = ::ha_cover::__private_0_1_0::reconnect(
                failure,
                ::ha_cover::__private_0_1_0::None,
            )?;
            let mut fresh = fresh;
            ::ha_cover::__private_0_1_0::after::<
                UnixStream,
                Self,
                _,
                _,
                _,
                _,
            >(login, &mut fresh, self)?;
            ::ha_cover::__private_0_1_0::Ok(fresh)
        }
    }
};
