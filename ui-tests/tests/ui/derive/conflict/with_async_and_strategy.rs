use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(strategy = reconnect, with_async = recover, connection = tokio::net::UnixStream)]
struct Handle;

fn main() {}
