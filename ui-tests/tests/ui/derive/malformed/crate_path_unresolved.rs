//! The generated code names ha-cover through `crate = ...`, so a path that does
//! not resolve is the error, at that path.

use ha_cover::Recoverable;

#[derive(Recoverable, Default)]
#[recoverable(crate = not_a_crate::ha, strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    offset: u64,
}

fn main() {}
