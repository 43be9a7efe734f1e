use ha_cover::ha_connection;
use tokio::io::AsyncWriteExt;

#[ha_connection(unix, asynchronous, mode = read_only)]
struct Feed;

// With tokio's extension trait in scope, the misuse is still a sentence about
// the declaration.
async fn usage() -> std::io::Result<()> {
    let mut feed = Feed::connect("/run/feed.sock").await?;
    feed.write_all(b"x").await?;
    Ok(())
}

fn main() {
    drop(usage());
}
