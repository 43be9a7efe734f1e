//! Generic handles: type parameters in user fields, in role fields, and a
//! parameter named `C` like the generated impl's own.

use ha_cover::{Cover, Recoverable, HandleRecovery};
use std::fs::File;
use std::marker::PhantomData;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Handle<T, O = u64>
where
    T: Clone,
{
    #[ha(offset)]
    offset: O,
    #[allow(dead_code)]
    user: T,
}

#[derive(Recoverable)]
#[recoverable(strategy = reopen)]
struct Named<'a, C: 'static, const N: usize> {
    #[allow(dead_code)]
    tag: &'a str,
    marker: PhantomData<fn() -> C>,
}

fn recovers<H: HandleRecovery<File>>(_: &H) {}

fn main() {
    let _ = Cover::open("/nonexistent", ha_cover::by_handle, Handle::<String>::default());
    let _ = Cover::open("/nonexistent", ha_cover::by_handle, Handle::<u8, u32>::default());
    let named: Named<'static, (), 3> = Named { tag: "x", marker: PhantomData };
    recovers(&named);
    let _ = Cover::open("/nonexistent", ha_cover::by_handle, named);
}
