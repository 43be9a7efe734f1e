//! A closure given as a hook is one error, spanning the closure.

use ha_cover::Recoverable;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after = |_conn, _handle| Ok(()))]
struct Handle;

fn main() {}
