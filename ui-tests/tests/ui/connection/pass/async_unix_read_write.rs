use std::io;

use ha_cover::ha_connection;
#[allow(unused_imports)]
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[ha_connection(unix, asynchronous, mode = read_write, write_policy = replay)]
struct Service;

#[allow(dead_code)]
async fn usage() -> io::Result<()> {
    let mut service = Service::connect("/run/service.sock").await?;
    let mut buf = [0; 64];
    service.read(&mut buf).await?;
    AsyncReadExt::read_exact(&mut service, &mut buf[..4]).await?;
    service.write_all(b"PING\r\n").await?;
    AsyncWriteExt::write_all(&mut service, b"PING\r\n").await?;
    service.flush().await?;
    service.shutdown().await?;
    let _other: Service = service.dup()?;
    let _ = service.into_inner();
    Ok(())
}

fn main() {}
