//! `crate = ...`: a crate that re-exports ha-cover names it in the generated
//! code. (`ha_cover` itself stays in the extern prelude, so this case shows the
//! path compiles; `malformed/crate_path_unresolved` shows it is the one used.)

extern crate ha_cover as renamed;

use ha_cover_ui_tests::reexport::ha;

#[derive(ha::Recoverable, Default)]
#[recoverable(crate = ha_cover_ui_tests::reexport::ha, strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    offset: u64,
}

fn main() {
    let _ = renamed::Cover::open("/nonexistent", renamed::by_handle, Handle::default());
}
