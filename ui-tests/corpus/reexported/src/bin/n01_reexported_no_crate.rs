//! expect: one error per macro saying to write `crate = path::to::ha_cover`
use ui::reexport::ha::Recoverable;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    offset: u64,
}

fn main() {}
