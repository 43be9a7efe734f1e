//! expect: one error: strategy reconnect recovers sockets, not File
use ha_cover::{Cover, Recoverable};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect)]
struct Handle;

fn main() {
    let _ = Cover::open("/tmp/x", ha_cover::by_handle, Handle);
}
