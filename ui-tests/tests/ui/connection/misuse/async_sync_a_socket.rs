use ha_cover::ha_connection;

#[ha_connection(unix, asynchronous, mode = write_only, write_policy = always)]
struct Shipper;

async fn usage() -> std::io::Result<()> {
    let mut shipper = Shipper::connect("/run/log.sock").await?;
    shipper.sync_all().await?;
    Ok(())
}

fn main() {
    drop(usage());
}
