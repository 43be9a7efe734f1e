use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(strategy = reopen)]
struct Handle {
    #[ha(addr)]
    replica: std::net::SocketAddr,
}

fn main() {}
