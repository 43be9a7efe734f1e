//! expect: one error at `recover`: an async fn recovers an asynchronous declaration
use ha_cover::ha_connection;
use ha_cover::asynchronous::AsyncFailure;

async fn recover(failure: &AsyncFailure<'_, std::fs::File>, _: &mut ()) -> std::io::Result<std::fs::File> {
    let _ = failure;
    Err(std::io::ErrorKind::NotFound.into())
}

#[ha_connection(file, mode = read_only, recovery = recover)]
struct Data;

fn main() {}
