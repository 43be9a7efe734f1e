use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only)]
struct TestFile;

fn main() -> std::io::Result<()> {
    let f = TestFile::open("/net/machine99/home/test/testfile")?;
    let _g = f.clone();
    Ok(())
}
