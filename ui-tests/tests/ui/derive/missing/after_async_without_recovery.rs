use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(after_async = hello)]
struct Handle;

fn main() {}
