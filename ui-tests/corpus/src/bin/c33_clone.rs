//! expect: one error at `clone`: use dup()
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only)]
struct TestFile;

fn main() -> std::io::Result<()> {
    let f = TestFile::open("/tmp/x")?;
    let _g = f.clone();
    Ok(())
}
