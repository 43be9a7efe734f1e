// Declared types and handles named like what the generated code would
// introduce (a connection type parameter, a lifetime) still mean the user's.
#![allow(dead_code)]

use ha_cover::{Recoverable, ha_connection};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct C {
    #[ha(offset)]
    offset: u64,
}

#[ha_connection(file, mode = read_only, handle = C)]
struct Conn;

#[ha_connection(file, asynchronous, mode = read_only, handle = C)]
struct Connection;

#[ha_connection(tcp, mode = read_write, write_policy = never)]
struct HaConnection;

fn main() {
    let _ = Conn::open("/tmp/x", C::default());
}
