//! expect: one error at `open`: a socket is connected, with connect
use ha_cover::ha_connection;
use std::io::{BufRead, BufReader};

#[ha_connection(unix, mode = read_only)]
struct Events;

fn main() -> std::io::Result<()> {
    let events = Events::open("/run/events.sock")?;
    for line in BufReader::new(events).lines() {
        println!("{}", line?);
    }
    Ok(())
}
