//! expect: one error at `std`: not the ha-cover runtime
use ha_cover::Recoverable;

#[derive(Recoverable, Default)]
#[recoverable(crate = std, strategy = reopen)]
struct Handle;

fn main() {}
