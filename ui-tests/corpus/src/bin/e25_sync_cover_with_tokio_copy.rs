//! expect: one error: a sync cover is not tokio's AsyncRead; declare asynchronous
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only)]
struct Data;

async fn run() -> std::io::Result<()> {
    let mut data = Data::open("/srv/data.bin")?;
    let mut out = tokio::io::sink();
    tokio::io::copy(&mut data, &mut out).await?;
    Ok(())
}

fn main() {
    let _ = run();
}
