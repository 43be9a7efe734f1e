use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(strategy = "reopen", after = "handshake")]
struct Handle;

fn main() {}
