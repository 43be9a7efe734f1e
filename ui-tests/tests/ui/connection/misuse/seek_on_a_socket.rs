use std::io::SeekFrom;

use ha_cover::ha_connection;

#[ha_connection(tcp, mode = read_only)]
struct Ticker;

fn main() -> std::io::Result<()> {
    let mut ticker = Ticker::connect("127.0.0.1:7000")?;
    ticker.seek(SeekFrom::Start(0))?;
    Ok(())
}
