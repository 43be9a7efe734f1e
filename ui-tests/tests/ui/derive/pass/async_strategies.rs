//! Every strategy recovers async covers too, by `ha_cover::asynchronous::by_handle`,
//! with the same roles, and the same handle still recovers sync covers.

use ha_cover::asynchronous::AsyncCover;
use ha_cover::{Cover, Recoverable};
use std::path::PathBuf;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Reader {
    #[ha(offset)]
    offset: u64,
    #[ha(path)]
    replica: Option<PathBuf>,
    #[ha(recoveries)]
    recoveries: u32,
}

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen)]
struct Journal {
    #[ha(path)]
    replica: Option<String>,
}

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect)]
struct Session {
    #[ha(addr)]
    replica: Option<std::net::SocketAddr>,
}

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect)]
struct Local {
    #[ha(addr)]
    replica: Option<PathBuf>,
}

// A generic handle recovers async covers where its arguments allow.
#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Generic<'a, O = u64> {
    #[ha(offset)]
    offset: O,
    label: Option<&'a str>,
}

async fn covers() -> std::io::Result<()> {
    let _ = AsyncCover::open("/f", ha_cover::asynchronous::by_handle, Reader::default()).await?;
    let _ = AsyncCover::create("/f", ha_cover::asynchronous::by_handle, Journal::default()).await?;
    let _ = AsyncCover::connect_tcp(
        "127.0.0.1:1",
        ha_cover::asynchronous::by_handle,
        Session::default(),
    )
    .await?;
    let _ =
        AsyncCover::connect_unix("/s.sock", ha_cover::asynchronous::by_handle, Local::default()).await?;
    let _ = AsyncCover::open(
        "/f",
        ha_cover::asynchronous::by_handle,
        Generic::<'static, u64>::default(),
    )
    .await?;
    let _ = Cover::open("/f", ha_cover::by_handle, Reader::default())?;
    let _ = Cover::connect_tcp("127.0.0.1:1", ha_cover::by_handle, Session::default())?;
    Ok(())
}

fn main() {
    drop(covers());
}
