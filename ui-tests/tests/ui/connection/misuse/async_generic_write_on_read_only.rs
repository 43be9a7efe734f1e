use ha_cover::ha_connection;
use tokio::io::AsyncWrite;

#[ha_connection(tcp, asynchronous, mode = read_only)]
struct Ticker;

fn sink(_: impl AsyncWrite) {}

async fn usage() -> std::io::Result<()> {
    let ticker = Ticker::connect("127.0.0.1:7000").await?;
    sink(ticker);
    Ok(())
}

fn main() {
    drop(usage());
}
