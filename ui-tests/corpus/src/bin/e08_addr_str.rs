//! expect: one error at `&'static str`: an address field is a SocketAddr (parsed) or a Peer
use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(strategy = reconnect)]
struct Backend {
    #[ha(addr)]
    addr: &'static str,
}

fn main() {}
