//! expect: error at `String`: an address is a SocketAddr/Peer/PathBuf
use ha_cover::Recoverable;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect)]
struct Handle {
    #[ha(addr)]
    server: String,
}

fn main() {}
