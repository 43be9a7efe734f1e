#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[automatically_derived]
    impl ::ha_cover::__private::Recoverable for Handle {
        const OBSERVES_TRANSFERS: bool = false;
    }
    #[automatically_derived]
    impl<C: ReopenTarget + Send> ::ha_cover::__private::Recovers<C> for Handle
    where
        for<'x> Self: ::ha_cover::__private::Recoverable,
    {
        fn recover(
            &mut self,
            failure: &::ha_cover::__private::Failure<'_, C>,
        ) -> ::ha_cover::__private::Result<C, ::ha_cover::__private::AttemptError> {
            let fresh = ::ha_cover::__private::with::<
                C,
                Self,
                _,
                _,
                _,
                _,
            >(recover, failure, self)?;
            let mut fresh = fresh;
            ::ha_cover::__private::after::<
                C,
                Self,
                _,
                _,
                _,
                _,
            >(check, &mut fresh, self)?;
            ::ha_cover::__private::Ok(fresh)
        }
    }
};
