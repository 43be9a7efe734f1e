use ha_cover::ha_connection;

#[ha_connection(file, asynchronous, mode = read_only)]
struct TestFile;

async fn usage() -> std::io::Result<()> {
    let _ = TestFile::create("/tmp/testfile").await?;
    Ok(())
}

fn main() {
    drop(usage());
}
