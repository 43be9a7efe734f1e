use ha_cover::Recoverable;
use ha_cover::asynchronous::AsyncCover;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    offset: u64,
}

async fn connect() {
    let _ = AsyncCover::connect_tcp("127.0.0.1:1", ha_cover::asynchronous::by_handle, Handle::default())
        .await;
}

fn main() {
    drop(connect());
}
