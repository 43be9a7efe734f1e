//! The generated code names nothing from the user's scope: shadowing `std`,
//! `core`, `Result`, `Ok`, `Option` and `io` changes nothing.

#![allow(dead_code, non_camel_case_types)]

mod std {}
mod core {}
type Result = ();
type Option = ();
struct Ok;
struct None;
mod io {}
struct Send;

#[derive(ha_cover::Recoverable, Default)]
#[recoverable(strategy = reopen_seek, after = hook)]
struct Handle {
    #[ha(offset)]
    offset: u64,
    #[ha(path)]
    path: ::std::option::Option<::std::path::PathBuf>,
}

fn hook<C>(_: &mut C, _: &mut Handle) -> ::std::io::Result<()> {
    ::std::result::Result::Ok(())
}

fn main() {
    let _ = ha_cover::Cover::open("/nonexistent", ha_cover::by_handle, Handle::default());
}

// Functions named like the generated code's locals are still the ones called.
#[derive(ha_cover::Recoverable)]
#[recoverable(strategy = reconnect, after = fresh)]
struct Named;

fn fresh<C>(_: &mut C, _: &mut Named) -> ::std::io::Result<()> {
    ::std::result::Result::Ok(())
}

#[derive(ha_cover::Recoverable)]
#[recoverable(with = failure, connection = ::std::fs::File, after = function)]
struct Shadowing;

fn failure(
    f: &ha_cover::Failure<'_, ::std::fs::File>,
    _: &mut Shadowing,
) -> ::std::result::Result<::std::fs::File, ha_cover::AttemptError> {
    f.reopen()
}

fn function(_: &mut ::std::fs::File, _: &mut Shadowing) -> ::std::io::Result<()> {
    ::std::result::Result::Ok(())
}
