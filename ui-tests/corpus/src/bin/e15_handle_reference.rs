//! expect: one error at `&Handle`: the handle is owned by the cover
use ha_cover::{Recoverable, ha_connection};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    offset: u64,
}

#[ha_connection(file, mode = read_only, handle = &Handle)]
struct Data;

fn main() {}
