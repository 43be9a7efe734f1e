use ha_cover::ha_connection;

#[ha_connection(file, mode = write_only)]
struct Out;

fn main() -> std::io::Result<()> {
    let mut out = Out::open("/tmp/out")?;
    std::io::copy(&mut out, &mut std::io::sink())?;
    Ok(())
}
