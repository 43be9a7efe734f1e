#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[automatically_derived]
    impl ::ha_cover::__private_0_1_0::Recoverable for Handle {
        const OBSERVES_TRANSFERS: bool = false;
    }
    #[automatically_derived]
    impl<C: ReopenTarget + Send> ::ha_cover::__private_0_1_0::HandleRecovery<C>
    for Handle
    where
        for<'x> Self: ::ha_cover::__private_0_1_0::Recoverable,
    {
        fn recover(
            &mut self,
            failure: &::ha_cover::__private_0_1_0::Failure<'_, C>,
        ) -> ::ha_cover::__private_0_1_0::Result<
            C,
            ::ha_cover::__private_0_1_0::AttemptError,
        > {
            let fresh = ::ha_cover::__private_0_1_0::with::<
                C,
                Self,
                _,
                _,
                _,
                _,
            >(recover, failure, self)?;
            let mut fresh = fresh;
            ::ha_cover::__private_0_1_0::after::<
                C,
                Self,
                _,
                _,
                _,
                _,
            >(check, &mut fresh, self)?;
            ::ha_cover::__private_0_1_0::Ok(fresh)
        }
    }
};
