//! expect: one error at `new`: a declared file is made with open (or attach)
use ha_cover::ha_connection;
use std::io::Read;

#[ha_connection(file, mode = read_only)]
struct Config;

fn main() -> std::io::Result<()> {
    let mut config = Config::new("/etc/app.toml")?;
    let mut text = String::new();
    config.read_to_string(&mut text)?;
    Ok(())
}
