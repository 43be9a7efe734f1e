use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(stratgy = reopen)]
struct Handle;

fn main() {}
