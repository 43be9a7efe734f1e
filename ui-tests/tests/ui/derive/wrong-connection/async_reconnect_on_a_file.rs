use ha_cover::Recoverable;
use ha_cover::tokio::AsyncCover;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect)]
struct Handle;

async fn open() {
    let _ = AsyncCover::open("/mnt/fuse/testfile", ha_cover::tokio::by_handle, Handle).await;
}

fn main() {
    drop(open());
}
