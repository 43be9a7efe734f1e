use std::io;

use ha_cover::ha_connection;
#[allow(unused_imports)]
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[ha_connection(unix, asynchronous, mode = read_only)]
struct Service;

#[allow(dead_code)]
async fn usage() -> io::Result<()> {
    let mut service = Service::connect("/run/service.sock").await?;
    let _ = Service::attach(tokio::net::UnixStream::connect("/run/service.sock").await?)?;
    let mut buf = [0; 64];
    service.read(&mut buf).await?;
    AsyncReadExt::read_exact(&mut service, &mut buf[..4]).await?;
    let _other: Service = service.dup()?;
    let _ = service.into_inner();
    Ok(())
}

fn main() {}
