use ha_cover::ha_connection;
use ha_cover::asynchronous::AsyncFailure;

async fn recover(_: &AsyncFailure<'_, std::fs::File>, _: &mut ()) -> std::io::Result<std::fs::File> {
    Err(std::io::ErrorKind::NotFound.into())
}

#[ha_connection(file, mode = read_only, recovery = recover)]
struct TestFile;

fn main() {}
