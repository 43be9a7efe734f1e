use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(with_async = recover, connection = tokio::net::UnixStream, after = hello)]
struct Handle;

fn main() {}
