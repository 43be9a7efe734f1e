use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only)]
struct TestFile;

fn main() -> std::io::Result<()> {
    let _f = TestFile::connect("/run/testfile.sock")?;
    Ok(())
}
