//! `reconnect` on both kinds of socket, to the original peer or to `#[ha(addr)]`.

use ha_cover::{Cover, Peer, Recoverable};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect)]
struct Session {
    #[ha(recoveries)]
    reconnects: u32,
}

#[derive(Recoverable)]
#[recoverable(strategy = reconnect)]
struct Tcp {
    #[ha(addr)]
    replica: SocketAddr,
}

#[derive(Recoverable)]
#[recoverable(strategy = reconnect)]
struct Unix {
    #[ha(addr)]
    socket: PathBuf,
}

#[derive(Recoverable)]
#[recoverable(strategy = reconnect)]
struct Any {
    #[ha(addr)]
    peer: Option<Peer>,
}

fn main() {
    let _: std::io::Result<Cover<UnixStream, Session>> =
        Cover::connect_unix("/nonexistent.sock", ha_cover::by_handle, Session::default());
    let _: std::io::Result<Cover<TcpStream, Session>> =
        Cover::connect_tcp("127.0.0.1:1", ha_cover::by_handle, Session::default());
    let replica = "127.0.0.1:2".parse().unwrap();
    let _ = Cover::connect_tcp("127.0.0.1:1", ha_cover::by_handle, Tcp { replica });
    let socket = PathBuf::from("/nonexistent-replica.sock");
    let _ = Cover::connect_unix("/nonexistent.sock", ha_cover::by_handle, Unix { socket });
    let _ = Cover::connect_unix("/nonexistent.sock", ha_cover::by_handle, Any { peer: None });
    assert_eq!(Session::default().reconnects, 0);
}
