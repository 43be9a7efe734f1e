use ha_cover::ha_connection;

#[ha_connection(tcp, asynchronous, mode = write_only, write_policy = never)]
struct Metrics;

async fn usage() -> std::io::Result<()> {
    let mut metrics = Metrics::connect("127.0.0.1:2003").await?;
    let mut reply = Vec::new();
    metrics.read_to_end(&mut reply).await?;
    Ok(())
}

fn main() {
    drop(usage());
}
