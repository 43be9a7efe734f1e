//! expect: error at `"reopen"`: write it without quotes
use ha_cover::Recoverable;

#[derive(Recoverable, Default)]
#[recoverable(strategy = "reopen")]
struct Handle;

fn main() {}
