use std::io::{self, Write};

use ha_cover::ha_connection;

#[ha_connection(tcp, mode = write_only, write_policy = replay, attempts = 1)]
struct Metrics;

#[allow(dead_code)]
fn usage() -> io::Result<()> {
    let mut metrics = Metrics::connect("127.0.0.1:2003")?;
    writeln!(metrics, "cpu 0.5 {}", 1700000000)?;
    Ok(())
}

fn main() {}
