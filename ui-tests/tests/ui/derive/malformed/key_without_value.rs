use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(strategy)]
struct Handle;

fn main() {}
