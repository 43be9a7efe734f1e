//! expect: one error at `Handle`: it needs its type argument
use ha_cover::{Recoverable, ha_connection};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Handle<O> {
    #[ha(offset)]
    offset: O,
}

#[ha_connection(file, mode = read_only, handle = Handle)]
struct Data;

fn main() {}
