use ha_cover::ha_connection;

#[ha_connection(unix, asynchronous, mode = read_only)]
struct Feed;

async fn usage() -> std::io::Result<()> {
    let mut feed = Feed::connect("/run/feed.sock").await?;
    std::io::copy(&mut feed, &mut std::io::sink())?;
    Ok(())
}

fn main() {
    drop(usage());
}
