//! `crate = ...`: a crate that re-exports ha-cover names it in the generated code;
//! here `ha_cover` is not even in scope under its own name.

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
