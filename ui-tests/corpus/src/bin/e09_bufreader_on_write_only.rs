//! expect: one error: a write_only file cannot be read
use ha_cover::ha_connection;
use std::io::{BufRead, BufReader};

#[ha_connection(file, mode = write_only)]
struct Log;

fn main() -> std::io::Result<()> {
    let log = Log::open("/var/log/app.log")?;
    for line in BufReader::new(log).lines() {
        println!("{}", line?);
    }
    Ok(())
}
