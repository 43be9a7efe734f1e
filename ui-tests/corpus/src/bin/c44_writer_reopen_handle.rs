//! expect: error: a sequential writer recovered by reopen restarts at offset 0; use reopen_seek or mode = append
use ha_cover::{Recoverable, ha_connection};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen)]
struct Handle {
    #[ha(recoveries)]
    n: u32,
}

#[ha_connection(file, mode = write_only, handle = Handle)]
struct Out;

fn main() {}
