use ha_cover::ha_connection;

#[ha_connection(unix, mode = read_only)]
struct Feed;

fn main() -> std::io::Result<()> {
    let mut feed = Feed::connect("/run/feed.sock")?;
    let mut buf = [0; 8];
    feed.read_at(&mut buf, 0)?;
    Ok(())
}
