use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(with = recover, with_async = recover_async, connection = std::fs::File)]
struct Handle;

fn main() {}
