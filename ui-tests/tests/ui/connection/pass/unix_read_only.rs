use std::io::{self, Read};

use ha_cover::ha_connection;

// A subscriber that only reads: no write policy to state.
#[ha_connection(unix, mode = read_only, eof_is_failure = true, attempts = 3, total = 20)]
struct Feed;

#[allow(dead_code)]
fn usage() -> io::Result<()> {
    let mut feed = Feed::connect("/run/feed.sock")?;
    let mut buf = Vec::new();
    feed.read_to_end(&mut buf)?;
    Ok(())
}

fn main() {}
