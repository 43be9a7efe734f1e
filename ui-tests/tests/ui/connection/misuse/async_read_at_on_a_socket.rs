use ha_cover::ha_connection;

#[ha_connection(tcp, asynchronous, mode = read_only)]
struct Ticker;

async fn usage() -> std::io::Result<()> {
    let mut ticker = Ticker::connect("127.0.0.1:7000").await?;
    let mut buf = [0; 8];
    ticker.read_at(&mut buf, 0).await?;
    Ok(())
}

fn main() {
    drop(usage());
}
