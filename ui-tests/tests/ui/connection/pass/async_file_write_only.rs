use std::io::{self, SeekFrom};

use ha_cover::ha_connection;
use tokio::io::AsyncWriteExt;

#[ha_connection(file, asynchronous, mode = write_only)]
struct Output;

#[allow(dead_code)]
async fn usage() -> io::Result<()> {
    let mut out = Output::create("/tmp/out").await?;
    out.write(b"x").await?;
    out.write_all(b"hello").await?;
    out.seek(SeekFrom::Start(0)).await?;
    out.write_at(b"H", 0).await?;
    out.write_all_at(b"ello", 1).await?;
    out.flush().await?;
    out.sync_data().await?;
    AsyncWriteExt::write_all(&mut out, b"!").await?;
    let options = std::fs::OpenOptions::new().write(true).clone();
    let _ = Output::open_with("/tmp/out", &options).await?;
    let _ = Output::open("/tmp/out").await?;
    out.shutdown().await?;
    Ok(())
}

fn main() {}
