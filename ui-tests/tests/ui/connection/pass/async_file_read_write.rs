use std::io;

use ha_cover::asynchronous::{AsyncFailure, BoxFuture, File};
use ha_cover::{AttemptError, ha_connection};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[ha_connection(file, asynchronous, mode = read_write, recovery = reopen_seek)]
struct Table;

#[allow(dead_code)]
async fn usage() -> io::Result<()> {
    let mut table = Table::create("/tmp/table").await?;
    table.write_all_at(b"row", 0).await?;
    let mut row = [0; 3];
    table.read_exact_at(&mut row, 0).await?;
    table.rewind().await?;
    AsyncWriteExt::write_all(&mut table, b"x").await?;
    AsyncReadExt::read_exact(&mut table, &mut row).await?;
    // Replacing the recovery function at run time, and putting it back.
    table.set_recovery(ha_cover::asynchronous::reopen_seek);
    table.set_recovery(fail_over);
    table.restore_recovery();
    Ok(())
}

fn fail_over<'a>(
    failure: &'a AsyncFailure<'a, File>,
    _: &'a mut (),
) -> BoxFuture<'a, Result<File, AttemptError>> {
    Box::pin(failure.reopen_path("/replica/table"))
}

fn main() {}
