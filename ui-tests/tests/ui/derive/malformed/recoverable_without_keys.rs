use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable]
struct Handle;

fn main() {}
