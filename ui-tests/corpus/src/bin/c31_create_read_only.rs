//! expect: one error at `create`: read_only cannot create; declare write_only/read_write
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only)]
struct TestFile;

fn main() -> std::io::Result<()> {
    let _f = TestFile::create("/tmp/x")?;
    Ok(())
}
