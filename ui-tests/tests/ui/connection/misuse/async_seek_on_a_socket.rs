use ha_cover::ha_connection;

#[ha_connection(unix, asynchronous, mode = read_only)]
struct Feed;

async fn usage() -> std::io::Result<()> {
    let mut feed = Feed::connect("/run/feed.sock").await?;
    feed.seek(std::io::SeekFrom::Start(0)).await?;
    Ok(())
}

fn main() {
    drop(usage());
}
