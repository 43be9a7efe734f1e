//! expect: one error at the `handle = ` or the derive: a handle used by a tokio socket with reopen
use ha_cover::{Recoverable, ha_connection};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen)]
struct Handle;

#[ha_connection(tcp, asynchronous, mode = read_only, handle = Handle)]
struct Ticker;

fn main() {}
