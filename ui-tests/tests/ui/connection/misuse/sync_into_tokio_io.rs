use ha_cover::ha_connection;
use tokio::io::AsyncBufReadExt;

#[ha_connection(file, mode = read_only)]
struct TestFile;

async fn usage() -> std::io::Result<()> {
    let f = TestFile::open("/net/machine99/home/test/testfile")?;
    let _lines = tokio::io::BufReader::new(f).lines();
    Ok(())
}

fn main() {
    drop(usage());
}
