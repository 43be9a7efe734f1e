//! expect: pass (hygiene: a declared connection named C, handle named H)
use ha_cover::{Recoverable, ha_connection};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct H {
    #[ha(offset)]
    o: u64,
}

#[ha_connection(file, mode = read_only, handle = H)]
struct C;

#[ha_connection(tcp, mode = read_write, write_policy = never)]
struct E;

fn main() {}
