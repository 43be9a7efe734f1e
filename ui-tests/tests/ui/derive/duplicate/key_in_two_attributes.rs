use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(strategy = reconnect)]
#[recoverable(strategy = reconnect)]
struct Handle;

fn main() {}
