use ha_cover::Recoverable;
use ha_cover::asynchronous::AsyncCover;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect)]
struct Handle;

async fn open() {
    let _ = AsyncCover::open("/mnt/fuse/testfile", ha_cover::asynchronous::by_handle, Handle).await;
}

fn main() {
    drop(open());
}
