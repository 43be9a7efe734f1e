//! expect: one error: an asynchronous cover is not std::io::Read; use tokio's BufReader
use ha_cover::ha_connection;
use std::io::BufRead;

#[ha_connection(unix, asynchronous, mode = read_only)]
struct Feed;

async fn run() -> std::io::Result<()> {
    let feed = Feed::connect("/run/feed.sock").await?;
    let mut line = String::new();
    std::io::BufReader::new(feed).read_line(&mut line)?;
    Ok(())
}

fn main() {
    let _ = run();
}
