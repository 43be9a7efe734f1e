use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(with_async = recover)]
struct Handle;

fn main() {}
