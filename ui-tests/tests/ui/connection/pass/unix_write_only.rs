use std::io::{self, Write};

use ha_cover::ha_connection;

#[ha_connection(unix, mode = write_only, write_policy = always)]
struct Shipper;

#[allow(dead_code)]
fn usage() -> io::Result<()> {
    let mut shipper = Shipper::attach(std::os::unix::net::UnixStream::connect("/run/log.sock")?)?;
    writeln!(shipper, "started")?;
    shipper.flush()?;
    Ok(())
}

fn main() {}
