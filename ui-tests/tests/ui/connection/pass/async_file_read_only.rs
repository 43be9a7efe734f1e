use std::io::{self, SeekFrom};

use ha_cover::{Recoverable, ha_connection};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncSeekExt, BufReader};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    curr_offset: u64,
    #[ha(recoveries)]
    nr: u32,
}

/// The seed's file, for tokio.
#[ha_connection(file, asynchronous, mode = read_only, handle = Handle,
                attempts = 5, backoff = exponential(10ms, 2s), deadline = 30s)]
struct TestFile;

#[allow(dead_code)]
async fn usage() -> io::Result<()> {
    let mut f = TestFile::open("/net/machine99/home/test/testfile", Handle::default()).await?;
    let mut buf = [0; 15];
    f.read(&mut buf).await?;
    f.read_exact(&mut buf).await?;
    f.seek(SeekFrom::Start(3)).await?;
    f.rewind().await?;
    let _: u64 = f.stream_position().await?;
    f.read_at(&mut buf, 7).await?;
    f.read_exact_at(&mut buf, 7).await?;
    f.sync_all().await?;
    f.sync_data().await?;
    let mut all = Vec::new();
    f.read_to_end(&mut all).await?;
    let mut text = String::new();
    f.read_to_string(&mut text).await?;
    // tokio's traits, for code generic over them.
    AsyncReadExt::read(&mut f, &mut buf).await?;
    AsyncSeekExt::seek(&mut f, SeekFrom::End(-1)).await?;
    let f2: TestFile = f.dup()?;
    let _: u32 = f.with_handle(|h| h.nr).await;
    f.with_handle(|h| h.curr_offset = 0).await;
    let _: u64 = f.control().stats().recoveries;
    let _: u64 = f.control().generation();
    f.control().suspend();
    f.control().enable();
    let _: bool = f.control().is_suspended();
    f.control().set_attempt_limit(None);
    f.control().set_total_limit(Some(3));
    f.control().reset_attempts();
    f.control().reset_total();
    f.restore_recovery();
    let mut lines = BufReader::new(f2).lines();
    let _ = lines.next_line().await?;
    let _: ha_cover::asynchronous::AsyncCover<ha_cover::asynchronous::File, Handle> = f.into_cover();
    let std = std::fs::File::open("/etc/hostname")?;
    let attached = TestFile::attach(ha_cover::asynchronous::File::from_std(std), Handle::default())?;
    let _: (ha_cover::asynchronous::File, Option<Handle>) = attached.dup()?.into_parts();
    let _: ha_cover::asynchronous::File = attached.into_inner();
    Ok(())
}

// Futures of a declared type can move across tasks.
fn spawned(mut f: TestFile) {
    drop(tokio::spawn(async move {
        let mut buf = [0; 4];
        f.read_exact(&mut buf).await
    }));
}

fn main() {
    let _ = spawned;
}
