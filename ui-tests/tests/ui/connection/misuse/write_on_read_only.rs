use std::io::Read;

use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only)]
struct TestFile;

fn main() -> std::io::Result<()> {
    let mut f = TestFile::open("/net/machine99/home/test/testfile")?;
    let mut buf = [0; 15];
    f.read(&mut buf)?;
    f.write(b"x")?;
    Ok(())
}
