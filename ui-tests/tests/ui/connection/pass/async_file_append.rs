use std::io;

use ha_cover::{Recoverable, ha_connection};
use tokio::io::AsyncWriteExt;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen)]
struct Log {
    #[ha(recoveries)]
    reopened: u64,
}

#[ha_connection(file, asynchronous, mode = append, handle = Log)]
struct Journal;

#[ha_connection(file, asynchronous, mode = append, total = 3, deadline = none)]
struct Plain;

#[allow(dead_code)]
async fn usage() -> io::Result<()> {
    let mut journal = Journal::create("/var/log/journal", Log::default()).await?;
    journal.write_all(b"started\n").await?;
    AsyncWriteExt::write_all(&mut journal, b"more\n").await?;
    journal.sync_all().await?;
    let _: u64 = journal.with_handle(|h| h.reopened).await;
    let mut plain = Plain::open("/var/log/plain").await?;
    plain.write(b"x").await?;
    Ok(())
}

fn main() {}
