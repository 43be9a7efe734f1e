//! expect: one error at `seek`: a socket has no position
use ha_cover::ha_connection;
use std::io::{Seek, SeekFrom};

#[ha_connection(tcp, mode = read_only)]
struct Ticker;

fn main() -> std::io::Result<()> {
    let mut t = Ticker::connect("127.0.0.1:1")?;
    t.seek(SeekFrom::Start(0))?;
    Ok(())
}
