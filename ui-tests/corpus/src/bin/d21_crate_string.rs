//! expect: error at `"ha_cover"`: write a path
use ha_cover::Recoverable;

#[derive(Recoverable, Default)]
#[recoverable(crate = "ha_cover", strategy = reopen)]
struct Handle;

fn main() {}
