//! expect: one error at the closure: name a function
use ha_cover::Recoverable;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after = |_c, _h| Ok(()))]
struct Handle;

fn main() {}
