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
        Self: ::ha_cover::__private::Recoverable,
    {
        fn recover(
            &mut self,
            failure: &::ha_cover::__private::Failure<'_, C>,
        ) -> ::ha_cover::__private::Result<C, ::ha_cover::__private::AttemptError> {
            let function: fn(
                &::ha_cover::__private::Failure<'_, C>,
                &mut Self,
            ) -> ::ha_cover::__private::Result<C, _> = recover;
            let fresh = ::ha_cover::__private::with(function, failure, self)?;
            let after: fn(&mut C, &mut Self) -> ::ha_cover::__private::Result<(), _> = check;
            ::ha_cover::__private::after(after, fresh, self)
        }
    }
};
