use ha_cover::ha_connection;

#[ha_connection(unix, asynchronous, mode = read_only)]
struct Feed;

async fn usage() -> std::io::Result<()> {
    let feed = Feed::connect("/run/feed.sock").await?;
    let _other = feed.try_clone()?;
    Ok(())
}

fn main() {
    drop(usage());
}
