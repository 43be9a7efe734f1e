//! expect: one error: a sync file cover has no `.await`; declare asynchronous
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only)]
struct TestFile;

async fn run() -> std::io::Result<()> {
    let _f = TestFile::open("/tmp/x").await?;
    Ok(())
}

fn main() {
    let _ = run();
}
