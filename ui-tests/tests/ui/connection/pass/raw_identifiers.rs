// Raw identifiers, for the declared type and its handle, mean the plain names.
#![allow(dead_code)]

use ha_cover::{Recoverable, ha_connection};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct r#Handle {
    #[ha(offset)]
    r#type: u64,
    #[ha(recoveries)]
    r#match: u32,
}

#[ha_connection(file, mode = read_only, handle = r#Handle)]
struct r#Struct;

#[ha_connection(file, asynchronous, mode = read_only, handle = r#Handle)]
struct r#AsyncFile;

// A raw `C`, the name the generated code would give its connection parameter.
#[ha_connection(unix, mode = read_write, write_policy = never, handle = r#C)]
struct Socket;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect)]
struct r#C {
    #[ha(recoveries)]
    n: u32,
}

fn main() {
    let _ = Struct::open("/tmp/x", Handle::default());
    let _ = r#Struct::open("/tmp/x", r#Handle::default());
    let _ = Socket::connect("/tmp/x.sock", C::default());
}
