use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(with = recover, connection = std::fs::File, after_async = hello)]
struct Handle;

fn main() {}
