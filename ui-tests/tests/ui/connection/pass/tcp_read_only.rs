use std::io::{self, Read};

use ha_cover::ha_connection;

#[ha_connection(tcp, mode = read_only, eof_is_failure = false)]
struct Ticker;

#[allow(dead_code)]
fn usage() -> io::Result<()> {
    let mut ticker = Ticker::connect(("localhost", 7000))?;
    let mut tick = [0; 8];
    ticker.read_exact(&mut tick)?;
    Ok(())
}

fn main() {}
