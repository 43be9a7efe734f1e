//! expect: one error at `src`: a write_only file cannot be read
use ha_cover::ha_connection;

#[ha_connection(file, mode = write_only)]
struct Out;

fn main() -> std::io::Result<()> {
    let mut src = Out::open("/tmp/a")?;
    let mut dst = Vec::new();
    std::io::copy(&mut src, &mut dst)?;
    Ok(())
}
