use ha_cover::ha_connection;

#[ha_connection(file, asynchronous, mode = read_only)]
struct TestFile;

async fn usage() -> std::io::Result<()> {
    let mut f = TestFile::open("/net/machine99/home/test/testfile").await?;
    let mut buf = [0; 15];
    f.read(&mut buf).await?;
    f.write(b"x").await?;
    Ok(())
}

fn main() {
    drop(usage());
}
