use ha_cover::ha_connection;

#[ha_connection(file, asynchronous, mode = append)]
struct Journal;

async fn usage() -> std::io::Result<()> {
    let mut journal = Journal::open("/var/log/journal").await?;
    journal.rewind().await?;
    Ok(())
}

fn main() {
    drop(usage());
}
