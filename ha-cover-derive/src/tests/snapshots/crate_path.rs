#[doc(hidden)]
#[allow(unused_qualifications)]
const _: () = {
    #[automatically_derived]
    impl my_runtime::ha::__private::Recoverable for Session
    where
        Self: my_runtime::ha::__private::Send + 'static,
    {
        const OBSERVES_TRANSFERS: bool = false;
    }
    #[automatically_derived]
    impl<
        C: my_runtime::ha::__private::ReconnectTarget,
    > my_runtime::ha::__private::Recovers<C> for Session
    where
        Self: my_runtime::ha::__private::Send + 'static,
    {
        fn recover(
            &mut self,
            failure: &my_runtime::ha::__private::Failure<'_, C>,
        ) -> my_runtime::ha::__private::Result<
            C,
            my_runtime::ha::__private::AttemptError,
        > {
            let fresh = my_runtime::ha::__private::reconnect(
                failure,
                my_runtime::ha::__private::None,
            )?;
            my_runtime::ha::__private::Ok(fresh)
        }
    }
};
